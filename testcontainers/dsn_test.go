package testcontainers

import (
	"net/url"
	"strings"
	"testing"
)

func TestMySQLConfig(t *testing.T) {
	u, err := parseServerURL(EngineMySQL, "mysql://us%40er:p%40ss:w%2Frd@db.example:3307/app?tls=skip-verify&sql_mode=%27ANSI%27")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := mysqlConfig(u)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.User != "us@er" || cfg.Passwd != "p@ss:w/rd" || cfg.Net != "tcp" || cfg.Addr != "db.example:3307" ||
		cfg.DBName != "app" || !cfg.ParseTime || cfg.TLSConfig != "skip-verify" || cfg.Params["sql_mode"] != "'ANSI'" {
		t.Errorf("config %+v", cfg)
	}

	u, err = parseServerURL(EngineMySQL, "mysql://root@127.0.0.1/test")
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err = mysqlConfig(u); err != nil || cfg.Addr != "127.0.0.1:3306" {
		t.Errorf("default port: addr %q, err %v", cfg.Addr, err)
	}

	u, _ = parseServerURL(EngineMySQL, "mysql://root:hunter2@127.0.0.1/test?parseTime=maybe")
	if _, err = mysqlConfig(u); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad parameter: err %v; want an error without the password", err)
	}
}

func TestParseServerURLErrors(t *testing.T) {
	for _, tc := range []struct {
		e    Engine
		raw  string
		want string
	}{
		{EnginePostgres, "postgres://u:hunter2@host:port/db", "not a valid URL"},
		{EnginePostgres, "postgres://u:hunter2@:5432/db", "names no host"},
		{EnginePostgres, "postgres://:hunter2@host/db", "names no user"},
		{EnginePostgres, "mysql://u:hunter2@host/db", `scheme "mysql"; want postgres://`},
		{EngineMySQL, "postgres://u:hunter2@host/db", `scheme "postgres"; want mysql://`},
		{EngineMySQL, "mysql://u:hunter2@host/db\x7f", "not a valid URL"},
	} {
		_, err := parseServerURL(tc.e, tc.raw)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.e.urlEnv()) {
			t.Errorf("%s: err %v, want one naming %s and saying %q", tc.raw, err, tc.e.urlEnv(), tc.want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the error shows the password: %v", tc.raw, err)
		}
	}
	for _, raw := range []string{"postgres://u@h/d", "postgresql://u:p@h:1/d?sslmode=disable"} {
		if _, err := parseServerURL(EnginePostgres, raw); err != nil {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

func TestWithDatabase(t *testing.T) {
	u, _ := url.Parse("postgres://u:p%2F@h:5432/postgres?sslmode=disable")
	got := withDatabase(u, "tsql_x").String()
	if want := "postgres://u:p%2F@h:5432/tsql_x?sslmode=disable"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if u.Path != "/postgres" {
		t.Errorf("the server URL was modified: %s", u)
	}
}

func TestSQLiteURL(t *testing.T) {
	got := sqliteURL("/tmp/a b/x%y.db")
	if want := "sqlite:////tmp/a%20b/x%25y.db"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	u, err := url.Parse(got)
	if err != nil || u.Host != "" || u.Path != "//tmp/a b/x%y.db" {
		t.Errorf("parsed back: %#v, %v", u, err)
	}
}

func TestDatabaseName(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		n := databaseName(t)
		if seen[n] {
			t.Fatalf("name %s generated twice", n)
		}
		seen[n] = true
		if !strings.HasPrefix(n, "tsql_") || len(n) > 48 || !strings.Contains(n, "_testdatabasename") {
			t.Fatalf("name %q: want tsql_<hex>_<test name>, at most 48 bytes", n)
		}
		for _, r := range n {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
				t.Fatalf("name %q has %q", n, r)
			}
		}
	}
	t.Run("a very long subtest name/with slashes and Ünïcode, that goes on and on", func(t *testing.T) {
		n := databaseName(t)
		if len(n) > 48 || strings.HasSuffix(n, "_") || strings.Contains(n, "__") {
			t.Errorf("name %q", n)
		}
	})
}

func TestQuoteIdent(t *testing.T) {
	if got := quoteIdent(EnginePostgres, `we"ird`); got != `"we""ird"` {
		t.Errorf("postgres: %s", got)
	}
	if got := quoteIdent(EngineMySQL, "we`ird"); got != "`we``ird`" {
		t.Errorf("mysql: %s", got)
	}
}
