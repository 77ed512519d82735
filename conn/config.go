package conn

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Config describes one database: either a URL, or the adapter and connection fields, plus pool
// settings and driver arguments. Fields set explicitly win over what the URL says. It loads from
// YAML or JSON:
//
//	adapter: postgres
//	host: localhost
//	user: app
//	password: secret
//	database: app
//	pool: {max_conns: 20, max_lifetime: 1h, acquire_timeout: 5s}
//	driver_args: {sslmode: disable}
type Config struct {
	// URL is a database URL: postgres://, postgresql://, mysql://, mariadb://, sqlite:///.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// Adapter is the engine: "postgres", "mysql", "mariadb" or "sqlite".
	Adapter  string `yaml:"adapter,omitempty" json:"adapter,omitempty"`
	Host     string `yaml:"host,omitempty" json:"host,omitempty"`
	Port     int    `yaml:"port,omitempty" json:"port,omitempty"`
	User     string `yaml:"user,omitempty" json:"user,omitempty"`
	Password string `yaml:"password,omitempty" json:"password,omitempty"`
	// Database is the database name; for SQLite, the file path or ":memory:".
	Database string `yaml:"database,omitempty" json:"database,omitempty"`
	// ConnectTimeout bounds establishing one physical connection.
	ConnectTimeout Duration   `yaml:"connect_timeout,omitempty" json:"connect_timeout,omitempty"`
	Pool           PoolConfig `yaml:"pool,omitempty" json:"pool,omitempty"`
	// SQLite holds the pragmas applied to every new SQLite connection.
	SQLite SQLiteConfig `yaml:"sqlite,omitempty" json:"sqlite,omitempty"`
	// DriverArgs are vendor parameters handed to the driver as they are (sslmode,
	// application_name, charset, tls, ...). Unknown URL query parameters land here.
	DriverArgs map[string]string `yaml:"driver_args,omitempty" json:"driver_args,omitempty"`
	// ConnectEagerly makes Open connect and ping before returning, so a bad host, password or
	// database surfaces at once.
	ConnectEagerly bool `yaml:"connect_eagerly,omitempty" json:"connect_eagerly,omitempty"`

	// OnConnect runs, in order, on every new physical connection before it is used.
	OnConnect []InitFunc `yaml:"-" json:"-"`
}

// PoolConfig sets the pool's limits. Zero values take the defaults named on each field.
type PoolConfig struct {
	// MaxConns limits open connections (default 10; 1 means a single shared connection,
	// i.e. no pool).
	MaxConns int `yaml:"max_conns,omitempty" json:"max_conns,omitempty"`
	// MinConns keeps at least this many connections open (PostgreSQL) or idle (others).
	MinConns int `yaml:"min_conns,omitempty" json:"min_conns,omitempty"`
	// MaxLifetime closes a connection this long after it was opened (the stale timeout).
	MaxLifetime Duration `yaml:"max_lifetime,omitempty" json:"max_lifetime,omitempty"`
	// MaxIdleTime closes a connection idle in the pool for this long (the keep-alive).
	MaxIdleTime Duration `yaml:"max_idle_time,omitempty" json:"max_idle_time,omitempty"`
	// AcquireTimeout bounds the wait for a free connection; a caller that waits longer gets
	// ErrAcquireTimeout. Zero waits as long as the context allows.
	AcquireTimeout Duration `yaml:"acquire_timeout,omitempty" json:"acquire_timeout,omitempty"`
	// HealthCheckPeriod is how often idle connections are checked (PostgreSQL; default 1m).
	HealthCheckPeriod Duration `yaml:"health_check_period,omitempty" json:"health_check_period,omitempty"`
}

// SQLiteConfig holds SQLite pragmas. The zero value gives the defaults: foreign keys on, a
// 5-second busy timeout, WAL for file databases, and write transactions that begin IMMEDIATE.
type SQLiteConfig struct {
	JournalMode string `yaml:"journal_mode,omitempty" json:"journal_mode,omitempty"` // default WAL (files)
	// ForeignKeys is on unless set to false explicitly.
	ForeignKeys *bool    `yaml:"foreign_keys,omitempty" json:"foreign_keys,omitempty"`
	BusyTimeout Duration `yaml:"busy_timeout,omitempty" json:"busy_timeout,omitempty"` // default 5s
	CacheSize   int      `yaml:"cache_size,omitempty" json:"cache_size,omitempty"`     // PRAGMA cache_size
	MmapSize    int64    `yaml:"mmap_size,omitempty" json:"mmap_size,omitempty"`       // PRAGMA mmap_size
	Synchronous string   `yaml:"synchronous,omitempty" json:"synchronous,omitempty"`   // PRAGMA synchronous
}

// InitFunc runs on each new physical connection (PRAGMAs, SET statements, session settings).
// An error discards the connection and fails the statement that needed it.
type InitFunc func(ctx context.Context, c InitConn) error

// InitConn is the new connection an InitFunc prepares.
type InitConn interface {
	Exec(ctx context.Context, sql string, args ...any) error
}

// Duration is a time.Duration that reads and writes as text ("30s", "1h") in YAML and JSON.
type Duration time.Duration

// String formats like time.Duration.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText writes the duration as "1h0m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads "250ms", "30s", "1h".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("conn: duration %q: want a Go duration such as 30s or 1h", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON accepts "30s" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		return d.UnmarshalText([]byte(s))
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("conn: duration %s: want a string such as \"30s\" or a number of seconds", b)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}
