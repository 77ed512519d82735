package conn_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

const configPassword = "C0nf1g-Secr3t-77"

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "databases.yml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigs(t *testing.T) {
	t.Setenv("TYPEDSQL_TEST_DB_PASSWORD", configPassword)
	t.Setenv("TYPEDSQL_TEST_DB_PORT", "6432")
	path := writeFile(t, `
primary:
  url: postgres://app@db.internal/app?sslmode=require
  password: ${TYPEDSQL_TEST_DB_PASSWORD}
  pool: {max_conns: 20, min_conns: 2, max_lifetime: 1h, max_idle_time: 300, acquire_timeout: 5s, health_check_period: 30s}
  connect_timeout: 10s
analytics:
  adapter: mariadb
  host: analytics.internal
  port: ${TYPEDSQL_TEST_DB_PORT}
  user: reader
  password: "${TYPEDSQL_TEST_DB_PASSWORD}"
  database: events
  driver_args: {tls: "true", charset: utf8mb4}
  connect_eagerly: true
local:
  url: sqlite:///${TYPEDSQL_TEST_UNSET:-local}.db
  sqlite: {journal_mode: wal, busy_timeout: 10s, foreign_keys: false, cache_size: -8000, tx_lock: deferred}
`)
	cfgs, err := conn.LoadConfigs(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 3 {
		t.Fatalf("%d databases, want 3", len(cfgs))
	}
	p := cfgs["primary"]
	if p.Password != configPassword || p.Pool.MaxConns != 20 || p.Pool.MinConns != 2 ||
		p.Pool.MaxLifetime != conn.Duration(time.Hour) || p.Pool.MaxIdleTime != conn.Duration(5*time.Minute) ||
		p.Pool.AcquireTimeout != conn.Duration(5*time.Second) || p.ConnectTimeout != conn.Duration(10*time.Second) {
		t.Errorf("primary = %#v %+v", p, p.Pool)
	}
	if got, want := p.String(), "postgres://app:xxxxx@db.internal:5432/app?sslmode=require"; got != want {
		t.Errorf("primary = %s, want %s", got, want)
	}
	a := cfgs["analytics"]
	if a.Port != 6432 || a.Password != configPassword || !a.ConnectEagerly || a.DriverArgs["tls"] != "true" {
		t.Errorf("analytics = %#v", a)
	}
	if got, want := a.String(), "mariadb://reader:xxxxx@analytics.internal:6432/events?charset=utf8mb4&tls=true"; got != want {
		t.Errorf("analytics = %s, want %s", got, want)
	}
	l := cfgs["local"]
	if l.String() != "sqlite:///local.db" || l.SQLite.ForeignKeys == nil || *l.SQLite.ForeignKeys ||
		l.SQLite.BusyTimeout != conn.Duration(10*time.Second) || l.SQLite.CacheSize != -8000 || l.SQLite.TxLock != "deferred" {
		t.Errorf("local = %s %+v", l, l.SQLite)
	}
}

func TestLoadConfigsErrors(t *testing.T) {
	t.Setenv("TYPEDSQL_TEST_DB_PASSWORD", configPassword)
	tests := []struct{ yaml, want string }{
		{"", "no databases"},
		{"- a\n- b\n", "want a mapping of names"},
		{"db: postgres://x\n", `database "db": want a mapping of settings`},
		{"db:\n  adapter: postgres\n  hots: h\n", `line 3: unknown key "hots"`},
		{"db:\n  adapter: postgres\n  pool: {max_con: 3}\n", `unknown key "pool.max_con"`},
		{"db:\n  adapter: postgres\n  port: lots\n", "line 3: cannot unmarshal"},
		{"db:\n  adapter: postgres\n  pool: {max_lifetime: soon}\n", "duration"},
		{"db:\n  adapter: oracle\n", `adapter "oracle"`},
		{"db:\n  url: postgres://u:${TYPEDSQL_TEST_DB_PASSWORD}@h:99999/d\n", `invalid port "99999"`},
		{"db:\n  adapter: postgres\n  password: ${TYPEDSQL_TEST_NOT_SET}\n", "TYPEDSQL_TEST_NOT_SET is not set"},
		{"db:\n  adapter: postgres\n  port: ${TYPEDSQL_TEST_DB_PASSWORD}\n", "cannot unmarshal"}, // the secret in the wrong field
		{"db:\n  adapter: postgres\n  password: " + configPassword + "\n  connect_eagerly: " + configPassword + "\n", "cannot unmarshal"},
		{"db:\n  adapter: [\n", "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			path := writeFile(t, tt.yaml)
			_, err := conn.LoadConfigs(path)
			if err == nil {
				t.Fatalf("loaded; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not say %q and the path", err, tt.want)
			}
			assertNoSecret(t, configPassword, err.Error())
		})
	}
	if _, err := conn.LoadConfigs(filepath.Join(t.TempDir(), "missing.yml")); err == nil || !strings.Contains(err.Error(), "missing.yml") {
		t.Errorf("missing file: %v", err)
	}
}

// TestConfigJSONAndYAMLTags: a Config written out and read back as JSON or YAML is the same.
func TestConfigJSONAndYAMLTags(t *testing.T) {
	on := true
	c := conn.Config{Adapter: "postgres", Host: "h", Port: 5433, User: "u", Password: "p", Database: "d",
		ConnectTimeout: conn.Duration(3 * time.Second),
		Pool:           conn.PoolConfig{MaxConns: 7, MaxIdleTime: conn.Duration(time.Minute)},
		SQLite:         conn.SQLiteConfig{ForeignKeys: &on},
		DriverArgs:     map[string]string{"sslmode": "disable"}, ConnectEagerly: true}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"max_idle_time":"1m0s"`) || !strings.Contains(string(js), `"connect_timeout":"3s"`) {
		t.Errorf("JSON: %s", js)
	}
	var back conn.Config
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	ys, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var backY conn.Config
	if err := yaml.Unmarshal(ys, &backY); err != nil {
		t.Fatal(err)
	}
	// Everything comes back but the password, which an encoded Config never shows.
	for _, b := range []conn.Config{back, backY} {
		if b.String() != c.String() || b.Password != "xxxxx" || b.Pool != c.Pool || b.ConnectTimeout != c.ConnectTimeout || !b.ConnectEagerly {
			t.Errorf("round trip: %#v %+v", b, b.Pool)
		}
	}
	var d conn.Config
	if err := json.Unmarshal([]byte(`{"pool": {"acquire_timeout": 2.5}}`), &d); err != nil || d.Pool.AcquireTimeout != conn.Duration(2500*time.Millisecond) {
		t.Errorf("JSON seconds: %v %v", d.Pool.AcquireTimeout, err)
	}
}

// TestOpenNamed opens each engine through a config file.
func TestOpenNamed(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		t.Setenv("TYPEDSQL_TEST_URL", tdb.URL)
		path := writeFile(t, "main:\n  url: ${TYPEDSQL_TEST_URL}\n  pool: {max_conns: 3}\nother:\n  url: \"sqlite:///:memory:\"\n")
		db, err := conn.OpenNamed(t.Context(), path, "main", conn.ConnectEagerly())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if s := db.Stats(); s.MaxConns != 3 || s.TotalConns != 1 {
			t.Errorf("stats: %+v", s)
		}
		_, err = conn.OpenNamed(t.Context(), path, "nope")
		if err == nil || !strings.Contains(err.Error(), `no database "nope"; it has main, other`) {
			t.Errorf("missing name: %v", err)
		}
	})
}

// OpenNamed reads only the database it opens: another entry's missing environment variable
// or bad setting does not fail it (it used to, and a name the file lacks then reported the
// other entry's variable instead of "no database").
func TestOpenNamedReadsOnlyItsEntry(t *testing.T) {
	path := writeFile(t, "local:\n  url: \"sqlite:///:memory:\"\n"+
		"analytics:\n  url: mysql://reader:${TYPEDSQL_TEST_UNSET_PASSWORD}@analytics/events\n"+
		"broken:\n  adapter: postgres\n  pool: {max_conns: -1}\n")
	db, err := conn.OpenNamed(t.Context(), path, "local")
	if err != nil {
		t.Fatalf("local: %v", err)
	}
	db.Close()
	_, err = conn.OpenNamed(t.Context(), path, "nope")
	if err == nil || !strings.Contains(err.Error(), `no database "nope"; it has analytics, broken, local`) {
		t.Errorf("missing name: %v", err)
	}
	_, err = conn.OpenNamed(t.Context(), path, "analytics")
	if err == nil || !strings.Contains(err.Error(), "TYPEDSQL_TEST_UNSET_PASSWORD is not set") || !strings.Contains(err.Error(), `database "analytics"`) {
		t.Errorf("analytics: %v, want its variable named", err)
	}
	_, err = conn.OpenNamed(t.Context(), path, "broken")
	if err == nil || !strings.Contains(err.Error(), `database "broken"`) {
		t.Errorf("broken: %v", err)
	}
	// LoadConfigs reads them all, so it fails on the first bad one.
	if _, err := conn.LoadConfigs(path); err == nil {
		t.Error("LoadConfigs accepted a file with an unset variable")
	}
}
