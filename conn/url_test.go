package conn_test

import (
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
)

func TestParseURLForms(t *testing.T) {
	on, off := true, false
	_ = on
	tests := []struct {
		url  string
		want conn.Config
	}{
		{"postgres://app:pw@db.example:6432/shop?sslmode=disable&application_name=api", conn.Config{
			Adapter: "postgres", Host: "db.example", Port: 6432, User: "app", Password: "pw", Database: "shop",
			DriverArgs: map[string]string{"sslmode": "disable", "application_name": "api"},
		}},
		{"postgresql://app@localhost/shop", conn.Config{Adapter: "postgres", Host: "localhost", User: "app", Database: "shop"}},
		{"mysql://root:p%40ss@127.0.0.1:3306/test?charset=utf8mb4", conn.Config{
			Adapter: "mysql", Host: "127.0.0.1", Port: 3306, User: "root", Password: "p@ss", Database: "test",
			DriverArgs: map[string]string{"charset": "utf8mb4"},
		}},
		{"mariadb://u@h/d", conn.Config{Adapter: "mariadb", Host: "h", User: "u", Database: "d"}},
		{"sqlite:///relative/app.db", conn.Config{Adapter: "sqlite", Database: "relative/app.db"}},
		{"sqlite:////var/lib/app.db", conn.Config{Adapter: "sqlite", Database: "/var/lib/app.db"}},
		{"sqlite:///:memory:", conn.Config{Adapter: "sqlite", Database: ":memory:"}},
		{"sqlite://", conn.Config{Adapter: "sqlite", Database: ":memory:"}},
		{"sqlite:///", conn.Config{Adapter: "sqlite", Database: ":memory:"}},
		{"sqlite+pool:///a.db", conn.Config{Adapter: "sqlite", Database: "a.db"}},
		{"postgres+pool://app@h/shop?max_connections=8&stale_timeout=300", conn.Config{Adapter: "postgres", Host: "h", User: "app", Database: "shop",
			Pool: conn.PoolConfig{MaxConns: 8, MaxLifetime: conn.Duration(300 * time.Second)}}},
		{"POSTGRESQL+POOL://h/d", conn.Config{Adapter: "postgres", Host: "h", Database: "d"}},
		{"mysql+pool://u@h/d?max_connections=3", conn.Config{Adapter: "mysql", Host: "h", User: "u", Database: "d",
			Pool: conn.PoolConfig{MaxConns: 3}}},
		{"sqlite://emmett.sqlite", conn.Config{Adapter: "sqlite", Database: "emmett.sqlite"}},
		{"sqlite:///my%20app.db?_time_format=sqlite", conn.Config{Adapter: "sqlite", Database: "my app.db",
			DriverArgs: map[string]string{"_time_format": "sqlite"}}},
		{"sqlite:///a.db?journal_mode=delete&foreign_keys=off&busy_timeout=250&cache_size=-2000&mmap_size=1048576&synchronous=normal&_txlock=deferred",
			conn.Config{Adapter: "sqlite", Database: "a.db", SQLite: conn.SQLiteConfig{
				JournalMode: "delete", ForeignKeys: &off, BusyTimeout: conn.Duration(250 * time.Millisecond),
				CacheSize: -2000, MmapSize: 1 << 20, Synchronous: "normal", TxLock: "deferred",
			}}},
		{"postgres://h/d?pool_max_conns=20&pool_min_conns=2&pool_max_conn_lifetime=1h&pool_max_conn_idle_time=90&pool_acquire_timeout=250ms&pool_health_check_period=10s&connect_timeout=5",
			conn.Config{Adapter: "postgres", Host: "h", Database: "d", ConnectTimeout: conn.Duration(5 * time.Second),
				Pool: conn.PoolConfig{MaxConns: 20, MinConns: 2, MaxLifetime: conn.Duration(time.Hour),
					MaxIdleTime: conn.Duration(90 * time.Second), AcquireTimeout: conn.Duration(250 * time.Millisecond),
					HealthCheckPeriod: conn.Duration(10 * time.Second)}}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, err := conn.ParseURL(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := got.GoString(), tt.want.GoString(); g != w {
				t.Errorf("ParseURL:\n got  %s\n want %s", g, w)
			}
			if got.Password != tt.want.Password || got.Pool != tt.want.Pool || got.ConnectTimeout != tt.want.ConnectTimeout ||
				got.SQLite.JournalMode != tt.want.SQLite.JournalMode || got.SQLite.CacheSize != tt.want.SQLite.CacheSize ||
				got.SQLite.MmapSize != tt.want.SQLite.MmapSize || got.SQLite.BusyTimeout != tt.want.SQLite.BusyTimeout ||
				got.SQLite.Synchronous != tt.want.SQLite.Synchronous || got.SQLite.TxLock != tt.want.SQLite.TxLock ||
				(got.SQLite.ForeignKeys == nil) != (tt.want.SQLite.ForeignKeys == nil) ||
				(got.SQLite.ForeignKeys != nil && *got.SQLite.ForeignKeys != *tt.want.SQLite.ForeignKeys) {
				t.Errorf("ParseURL fields:\n got  %#v\n want %#v", got.Pool, tt.want.Pool)
			}
			if len(got.DriverArgs) != len(tt.want.DriverArgs) {
				t.Errorf("driver args %v, want %v", got.DriverArgs, tt.want.DriverArgs)
			}
			for k, v := range tt.want.DriverArgs {
				if got.DriverArgs[k] != v {
					t.Errorf("driver arg %s = %q, want %q", k, got.DriverArgs[k], v)
				}
			}
		})
	}
}

// TestBadURLs checks that every malformed URL or config is refused with an error that says
// what is wrong and never shows the password, even when the password is what broke parsing.
func TestBadURLs(t *testing.T) {
	const pw = "Sw0rdf1sh-9xq"
	tests := []struct{ url, want string }{
		{"", "empty database URL"},
		{"localhost/db", "no scheme"},
		{"oracle://u:" + pw + "@h/db", `unknown database URL scheme "oracle"`},
		{"postgres://u:" + pw + "@h:99999/db", `invalid port "99999"`},
		{"postgres://u:" + pw + "@h:0/db", `invalid port "0"`},
		{"postgres://u:" + pw + "@h:abc/db", "not a port"},
		{"postgres://u:" + pw + "/x@h/db", "not a port"}, // an unencoded '/' in the password
		{"postgres://u:" + pw + "#x@h/db", "not a port"}, // an unencoded '#'
		{"postgres://u@h/db#" + pw, "'#'"},
		{"mysql://u:" + pw + "@h/db/extra", "has a '/'"},
		{"postgres://u:" + pw + "@h/db?pool_max_conns=lots", "pool_max_conns"},
		{"postgres://u:" + pw + "@h/db?pool_acquire_timeout=soon", "pool_acquire_timeout"},
		{"postgres://u:" + pw + "@h/db?pool_max_conns=2&pool_min_conns=3", "min_conns 3 exceeds max_conns 2"},
		{"postgres://u:" + pw + "@h/db?pool_acquire_timeout=-1s", "cannot be negative"},
		{"postgres://u:" + pw + "@h/db?password=" + pw + "&pool_max_conns=x", "pool_max_conns"},
		{"mysql://u:" + pw + "@h/db?strict=true", "strict was removed"},
		{"mysql://u:" + pw + "@h/db?tls=bogus", "mysql driver arguments"},
		{"mysql://u:" + pw + "@h", "No database selected"},
		{"mariadb+pool://u:" + pw + "@h/", "No database selected"},
		{"sqlite:///a.db?journal_mode=fast", `journal_mode "fast"`},
		{"sqlite:///a.db?synchronous=always", `synchronous "always"`},
		{"sqlite:///a.db?_txlock=later", `tx_lock "later"`},
		{"sqlite:///a.db?foreign_keys=maybe", "want on or off"},
		{"sqlite:///a%zz.db", "two hex digits"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			db, err := conn.Open(t.Context(), tt.url)
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			assertNoSecret(t, pw, err.Error())
		})
	}
}

func TestBadConfigs(t *testing.T) {
	const pw = "Sw0rdf1sh-9xq"
	tests := []struct {
		cfg  conn.Config
		want string
	}{
		{conn.Config{}, "config names no database"},
		{conn.Config{Adapter: "db2", Password: pw}, `adapter "db2"`},
		{conn.Config{Adapter: "postgres", Port: 70000, Password: pw}, "port 70000"},
		{conn.Config{Adapter: "sqlite"}, "names no database file"},
		{conn.Config{Adapter: "mysql", Host: "h", Password: pw}, "No database selected"},
		{conn.Config{Adapter: "sqlite", Database: "a.db", Password: pw}, "SQLite opens a file"},
		{conn.Config{Adapter: "mysql", Password: pw, Pool: conn.PoolConfig{MaxConns: -1}}, "cannot be negative"},
		{conn.Config{Adapter: "postgres", Password: pw, DriverArgs: map[string]string{"": "x"}}, "empty name"},
		{conn.Config{URL: "postgres://u:" + pw + "@h:abc/db"}, "not a port"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			db, err := conn.OpenConfig(t.Context(), tt.cfg)
			if err == nil {
				db.Close()
				t.Fatalf("OpenConfig succeeded; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			assertNoSecret(t, pw, err.Error())
			assertNoSecret(t, pw, tt.cfg.String())
		})
	}
}

// TestConfigOverridesURL: explicit fields win over the URL's, field by field.
func TestConfigOverridesURL(t *testing.T) {
	c := conn.Config{
		URL:      "postgres://u:old@h:5432/a?sslmode=disable&pool_max_conns=5",
		Password: "new", Database: "b",
		Pool:       conn.PoolConfig{MinConns: 1},
		DriverArgs: map[string]string{"application_name": "x"},
	}
	if got, want := c.Redacted(), "postgres://u:xxxxx@h:5432/b?application_name=x&sslmode=disable"; got != want {
		t.Errorf("Redacted = %s, want %s", got, want)
	}
}

func assertNoSecret(t *testing.T, secret, text string) {
	t.Helper()
	if strings.Contains(text, secret) {
		t.Errorf("the password appears in %q", text)
	}
	if len(secret) > 6 && strings.Contains(text, secret[:6]) {
		t.Errorf("a piece of the password appears in %q", text)
	}
}
