package conn_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"gopkg.in/yaml.v3"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// secretPW is a password distinctive enough that finding it, or its first six characters,
// anywhere is a leak.
const secretPW = "Zq9-Dist1nct-pw"

// TestPasswordNeverPrinted prints configs and DBs every way fmt and log/slog can.
func TestPasswordNeverPrinted(t *testing.T) {
	cfgs := []conn.Config{
		{URL: "postgres://app:" + secretPW + "@db.example/app?sslmode=disable"},
		{Adapter: "mysql", Host: "db", User: "app", Password: secretPW, Database: "app"},
		{Adapter: "postgres", Host: "db", DriverArgs: map[string]string{"password": secretPW, "sslpassword": secretPW}},
		{URL: "postgres://app@db/app?password=" + secretPW},
		{URL: "postgres://app:" + secretPW + "@db:99999/app"}, // invalid: printed with its error
	}
	for _, c := range cfgs {
		texts := []string{
			fmt.Sprint(c), fmt.Sprintf("%v|%+v|%#v|%s|%q", c, c, c, c, c), fmt.Sprintf("%v %+v %#v", &c, &c, &c),
			fmt.Sprintf("%+v", struct{ DB conn.Config }{c}), fmt.Sprintf("%v", []conn.Config{c}),
			fmt.Sprintf("%v", map[string]conn.Config{"db": c}), c.Redacted(), c.String(), c.GoString(),
		}
		for _, h := range []func(*bytes.Buffer) slog.Handler{
			func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("config", "cfg", c, "ptr", &c)
			texts = append(texts, buf.String())
		}
		texts = append(texts, encodedNested(t, c)...)
		for _, s := range texts {
			assertNoSecret(t, secretPW, s)
		}
		if !strings.Contains(texts[0], "xxxxx") && c.URL != "postgres://app:"+secretPW+"@db:99999/app" {
			t.Errorf("%s does not show that a password is set", texts[0])
		}
	}

	db, err := conn.Open(t.Context(), "sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pg, err := conn.Open(t.Context(), "postgres://app:"+secretPW+"@127.0.0.1:1/app?sslmode=disable&sslpassword="+secretPW)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, d := range []*conn.DB{db, pg} {
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("db", "db", d)
		for _, s := range []string{fmt.Sprintf("%v|%+v|%#v|%s", d, d, d, d), d.String(), buf.String()} {
			assertNoSecret(t, secretPW, s)
		}
	}
	if got, want := pg.String(), "postgres://app:xxxxx@127.0.0.1:1/app?sslmode=disable&sslpassword=xxxxx"; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
}

// encodedNested encodes c inside other values with every encoder that walks fields instead
// of calling String: encoding/json, YAML, and slog's JSON and text handlers given a struct
// that holds the Config (slog calls LogValue only on the attribute's own value).
func encodedNested(t *testing.T, c conn.Config) []string {
	t.Helper()
	type settings struct {
		Name string
		DB   conn.Config
		Ptr  *conn.Config
		Many map[string]conn.Config
	}
	v := settings{Name: "app", DB: c, Ptr: &c, Many: map[string]conn.Config{"primary": c}}
	var out []string
	for _, x := range []any{c, &c, v, []any{c}} {
		j, err := json.Marshal(x)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		y, err := yaml.Marshal(x)
		if err != nil {
			t.Fatalf("yaml.Marshal: %v", err)
		}
		var jb, tb bytes.Buffer
		slog.New(slog.NewJSONHandler(&jb, nil)).Info("settings", "s", x)
		slog.New(slog.NewTextHandler(&tb, nil)).Info("settings", "s", x)
		out = append(out, string(j), string(y), jb.String(), tb.String())
	}
	return out
}

// TestConfigEncodesMasked checks that the masked encodings keep the configuration readable:
// the fields that are not secret survive, and the secret ones say that they are set.
func TestConfigEncodesMasked(t *testing.T) {
	c := conn.Config{
		URL:        "postgres://app:" + url.QueryEscape(secretPW+"/#") + "@db.example:6432/app?sslmode=disable&sslpassword=" + secretPW,
		Password:   secretPW,
		DriverArgs: map[string]string{"application_name": "web", "token": secretPW},
		Pool:       conn.PoolConfig{MaxConns: 20},
	}
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, secretPW, string(j))
	var back conn.Config
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	want := conn.Config{
		URL:        "postgres://app:xxxxx@db.example:6432/app?sslmode=disable&sslpassword=xxxxx",
		Password:   "xxxxx",
		DriverArgs: map[string]string{"application_name": "web", "token": "xxxxx"},
		Pool:       conn.PoolConfig{MaxConns: 20},
	}
	if !reflect.DeepEqual(back, want) {
		t.Errorf("JSON round trip: got %s, want %s (password %q, driver args %v)", back.URL, want.URL, back.Password, back.DriverArgs)
	}
	y, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, secretPW, string(y))
	if !strings.Contains(string(y), "max_conns: 20") || !strings.Contains(string(y), "password: xxxxx") {
		t.Errorf("YAML lost the configuration:\n%s", y)
	}
	if c.Password != secretPW || c.DriverArgs["token"] != secretPW {
		t.Error("encoding changed the Config it encoded")
	}
	for _, bad := range []string{"postgres://app:" + secretPW + "@db:99999/app", "postgres://app:%zz" + secretPW + "@db/app"} {
		j, err := json.Marshal(conn.Config{URL: bad})
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecret(t, secretPW, string(j))
	}
}

// TestPasswordNotInConnectionErrors fails to connect every way it can, with a password in the
// URL and in a driver argument, and with the statement log on, and looks for the password in
// the errors and the log.
func TestPasswordNotInConnectionErrors(t *testing.T) {
	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	enc := url.QueryEscape(secretPW)
	cases := []struct{ name, url string }{
		{"postgres bad host", "postgres://app:" + secretPW + "@host.invalid/app?sslmode=disable&connect_timeout=3"},
		{"postgres refused", "postgres://app:" + secretPW + "@127.0.0.1:1/app?sslmode=disable"},
		{"postgres password argument", "postgres://app@127.0.0.1:1/app?sslmode=disable&password=" + enc},
		{"postgres bad driver argument", "postgres://app:" + secretPW + "@127.0.0.1:1/app?sslmode=bogus"},
		{"mysql bad host", "mysql://app:" + secretPW + "@host.invalid/app?connect_timeout=3"},
		{"mysql refused", "mysql://app:" + secretPW + "@127.0.0.1:1/app"},
		{"mysql bad driver argument", "mysql://app:" + secretPW + "@127.0.0.1:1/app?readTimeout=" + enc},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			db, err := conn.Open(ctx, tc.url, conn.WithLogger(logger))
			if err == nil {
				defer db.Close()
				err = db.Connect(ctx)
				if err == nil {
					t.Fatal("connected")
				}
				if !errors.Is(err, conn.ErrOperational) {
					t.Errorf("connection failure: %v; want ErrOperational", err)
				}
				_, serr := db.Exec(ctx, conn.SQL("SELECT 1"))
				if serr == nil {
					t.Fatal("statement succeeded")
				}
				assertNoSecret(t, secretPW, serr.Error())
				assertNoSecret(t, secretPW, fmt.Sprintf("%+v %#v", serr, serr))
			}
			t.Log(err)
			assertNoSecret(t, secretPW, err.Error())
			assertNoSecret(t, secretPW, fmt.Sprintf("%+v", err))
		})
	}
	assertNoSecret(t, secretPW, logged.String())
}

// TestWrongPassword: the server refuses the password. MariaDB does so for real (root with a
// password it does not have). The PostgreSQL server of the test environment trusts local
// connections and accepts any password, so unless the harness server asks for one (Docker
// does), a stand-in server speaking the PostgreSQL protocol asks for it and refuses it, as a
// real server configured for password authentication would.
func TestWrongPassword(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			t.Skip("SQLite has no passwords")
		}
		u, err := url.Parse(tdb.URL)
		if err != nil {
			t.Fatal(err)
		}
		var sent <-chan string
		if _, has := u.User.Password(); tdb.Engine == testcontainers.EnginePostgres && !has {
			u.Host, sent = refusingPostgres(t)
		}
		u.User = url.UserPassword(u.User.Username(), secretPW)
		db, err := conn.Open(t.Context(), u.String(), conn.ConnectEagerly())
		if err == nil {
			db.Close()
			t.Fatal("connected with a wrong password")
		}
		t.Log(err)
		var ce *conn.Error
		if !errors.Is(err, conn.ErrOperational) || !errors.As(err, &ce) || ce.SQLState != map[testcontainers.Engine]string{
			testcontainers.EnginePostgres: "28P01", testcontainers.EngineMySQL: "28000"}[tdb.Engine] {
			t.Errorf("wrong password: %v (%+v); want ErrOperational with SQLSTATE 28P01 / 28000", err, ce)
		}
		assertNoSecret(t, secretPW, err.Error())
		assertNoSecret(t, secretPW, fmt.Sprintf("%+v", err))
		if sent != nil {
			if got := <-sent; got != secretPW {
				t.Errorf("the stand-in server received password %q", got)
			}
		}
	})
}

// refusingPostgres listens on a loopback port, asks the one client that connects for a
// cleartext password, records it and refuses it with SQLSTATE 28P01, as PostgreSQL does.
func refusingPostgres(t *testing.T) (addr string, password <-chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		be := pgproto3.NewBackend(c, c)
		if _, err := be.ReceiveStartupMessage(); err != nil {
			return
		}
		be.Send(&pgproto3.AuthenticationCleartextPassword{})
		if be.Flush() != nil || be.SetAuthType(pgproto3.AuthTypeCleartextPassword) != nil {
			return
		}
		msg, err := be.Receive()
		if pm, ok := msg.(*pgproto3.PasswordMessage); ok && err == nil {
			got <- pm.Password
		}
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "28P01",
			Message: `password authentication failed for user "postgres"`})
		be.Flush()
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String(), got
}

// TestClassifyConnectionFailures: a refused port and an unknown host are operational errors
// on the server engines.
func TestClassifyConnectionFailures(t *testing.T) {
	for _, u := range []string{"postgres://u@127.0.0.1:1/d?sslmode=disable", "mysql://u@127.0.0.1:1/d", "postgres://u@host.invalid/d?connect_timeout=3", "mysql://u@host.invalid/d?connect_timeout=3"} {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		_, err := conn.Open(ctx, u, conn.ConnectEagerly())
		cancel()
		if !errors.Is(err, conn.ErrOperational) || errors.Is(err, conn.ErrProgramming) {
			t.Errorf("%s: %v; want ErrOperational", u, err)
		}
	}
}
