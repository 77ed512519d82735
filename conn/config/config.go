// Package config describes a database connection: Config, read from a URL (ParseURL), a YAML
// file of named databases (LoadConfigs) or fields set by hand, resolved (Resolve) and redacted
// (Redacted, Secrets, and Config's String, LogValue, MarshalJSON and MarshalYAML) by one table
// of settings. Package conn re-exports its types under the same names (conn.Config is
// config.Config) and opens what it describes.
//
// What a URL scheme means, and the facts that shape a URL (a server's default port, a file
// engine's path), are the engine packages' (conn/postgres, conn/mysql, conn/sqlite): a URL
// whose engine package the program did not import is an error naming the package.
package config

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/typedsql/typedsql/conn/tracing"
)

// Config describes one database: either a URL, or the adapter and connection fields, plus pool
// settings and driver arguments. Fields set explicitly win over what the URL says. It loads from
// YAML or JSON (see LoadConfigs for a file of several named databases):
//
//	adapter: postgres
//	host: localhost
//	user: app
//	password: ${APP_DB_PASSWORD}
//	database: app
//	pool: {max_conns: 20, max_lifetime: 1h, acquire_timeout: 5s}
//	driver_args: {sslmode: disable}
//
// Printing a Config (%v, %+v, %#v, String, log/slog) shows its URL with the password masked,
// and encoding it (encoding/json, YAML, slog's JSON handler, inside other values too) masks the
// password, the URL's password and secret driver arguments (see MarshalJSON).
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
	// ConnectTimeout bounds opening one physical connection: the dial, TLS and the login
	// (default 10s; URL connect_timeout=5 or 5s). A connect that runs out of it fails with an
	// error matching ErrOperational that names the server, never ErrAcquireTimeout: opening a
	// connection in a pool with room is not waiting for a free one (see
	// PoolConfig.AcquireTimeout). The caller's context still ends it sooner.
	ConnectTimeout Duration   `yaml:"connect_timeout,omitempty" json:"connect_timeout,omitempty"`
	Pool           PoolConfig `yaml:"pool,omitempty" json:"pool,omitempty"`
	// SQLite holds the pragmas applied to every new SQLite connection.
	SQLite SQLiteConfig `yaml:"sqlite,omitempty" json:"sqlite,omitempty"`
	// DriverArgs are vendor parameters handed to the driver as they are (sslmode,
	// application_name, charset, tls, _time_format, ...). Unknown URL query parameters land
	// here.
	DriverArgs map[string]string `yaml:"driver_args,omitempty" json:"driver_args,omitempty"`
	// ConnectEagerly makes conn.Open connect and ping before returning, so a bad host, password or
	// database surfaces at once.
	ConnectEagerly bool `yaml:"connect_eagerly,omitempty" json:"connect_eagerly,omitempty"`

	// OnConnect runs, in order, on every new physical connection before it is used.
	OnConnect []InitFunc `yaml:"-" json:"-"`

	// Logger receives a debug record for every statement (see conn.WithLogger); nil means
	// slog.Default().
	Logger *slog.Logger `yaml:"-" json:"-"`
	// LogArguments puts bound values into log records and trace data (see conn.LogArguments).
	LogArguments bool `yaml:"log_arguments,omitempty" json:"log_arguments,omitempty"`
	// Tracer sees every statement (see conn.Tracer, conn.WithTracer).
	Tracer tracing.Tracer `yaml:"-" json:"-"`
}

// PoolConfig sets the pool's limits. Zero values take the defaults named on each field.
//
// PostgreSQL runs on pgxpool (conn/postgres), which implements every field itself. MySQL/MariaDB and SQLite run
// on database/sql, whose pool differs in two ways: MinConns connections are opened by DB.Connect
// (and by conn.Open with ConnectEagerly), but database/sql does not reopen them later, and closes
// idle ones after MaxIdleTime even below MinConns; and idle connections are checked when they
// are reused (go-sql-driver/mysql checks the socket before each reuse) rather than every
// HealthCheckPeriod.
type PoolConfig struct {
	// MaxConns limits open connections (default 10). 1 means no pool: one connection shared,
	// one statement at a time.
	MaxConns int `yaml:"max_conns,omitempty" json:"max_conns,omitempty"`
	// MinConns keeps at least this many connections open (see the type's comment for
	// MySQL/MariaDB and SQLite).
	MinConns int `yaml:"min_conns,omitempty" json:"min_conns,omitempty"`
	// MaxLifetime closes a connection this long after it was opened (the stale timeout;
	// default 1h).
	MaxLifetime Duration `yaml:"max_lifetime,omitempty" json:"max_lifetime,omitempty"`
	// MaxIdleTime closes a connection idle in the pool for this long (the keep-alive;
	// default 30m).
	MaxIdleTime Duration `yaml:"max_idle_time,omitempty" json:"max_idle_time,omitempty"`
	// AcquireTimeout bounds only the wait for a free connection while all MaxConns are in
	// use; a caller that waits longer gets an error matching ErrAcquireTimeout and
	// ErrOperational. When the pool has room, the new connection it opens is bounded by
	// ConnectTimeout instead, so a slow connect or server is a connect error (or success),
	// not an acquire timeout. Zero waits as long as the context allows.
	//
	//	pool_max_conns=2&pool_acquire_timeout=500ms&connect_timeout=10s
	//	// third caller while two hold connections: ErrAcquireTimeout after 500ms
	//	// first caller on an empty pool, server slow to answer: waits up to 10s to connect
	//
	// For a pool the caller made and may share with other code (conn.FromSQL,
	// postgres.FromPool), conn counts only its own callers against the pool's MaxConns (as it
	// was when wrapped); a borrow that finds the pool full of others' connections is bounded
	// by AcquireTimeout as a whole.
	AcquireTimeout Duration `yaml:"acquire_timeout,omitempty" json:"acquire_timeout,omitempty"`
	// HealthCheckPeriod is how often idle connections are checked for lifetime, idle time
	// and MinConns (PostgreSQL; default 1m).
	HealthCheckPeriod Duration `yaml:"health_check_period,omitempty" json:"health_check_period,omitempty"`
	// CloseTimeout bounds how long Close waits for the connections in use to come back before
	// it closes the pool anyway (default 30s; see conn.DB.Close).
	CloseTimeout Duration `yaml:"close_timeout,omitempty" json:"close_timeout,omitempty"`
}

// SQLiteConfig holds SQLite pragmas. The zero value gives the defaults: foreign keys on, a
// 5-second busy timeout, WAL for file databases, and write transactions that begin IMMEDIATE
// (a block takes the write lock at BEGIN, instead of failing with "database is locked" when
// its read turns into a write).
//
// Writers of one database queue in the process, first come first served. Every DB conn opens
// on a file (or on sqlite:///:memory:) shares one write queue per file: an atomic block that
// begins IMMEDIATE or EXCLUSIVE joins it before its BEGIN and leaves after its COMMIT or
// ROLLBACK, and a statement outside any transaction that may write (anything but SELECT,
// VALUES and EXPLAIN) joins it for the statement, or until its result set is closed. SQLite's
// own wait for its lock polls, and under steady writing a poller could miss every turn and
// fail after busy_timeout; in the queue a writer waits for the writers ahead of it, and gives
// up with "database is locked" (ErrSerialization) only when the lock has stayed with one
// writer for busy_timeout. Deferred transactions (txn.Deferred, a raw BEGIN), other processes
// and a *sql.DB given to conn.FromSQL are not queued: SQLite's busy_timeout applies to them as
// before. Connections to a file are opened one at a time in the process, so that several DBs
// opening a new file at once do not fail switching it to WAL.
//
// SQLite has no time type and compares times as text, so conn gives one instant one text:
// a time.Time written or bound as an argument is converted to UTC and written in SQLite's own
// form, "2006-01-02 15:04:05.999999999+00:00" (the driver arguments _timezone=UTC and
// _time_format=sqlite). The same instant written from any zone is then equal to itself, and
// =, <, > and ORDER BY follow time order, fractional seconds included; times read back in UTC,
// as the instant written (compare with time.Time.Equal, not ==). A _timezone or _time_format
// in the driver arguments replaces conn's.
//
// Double-quoted string literals are off on every connection (the driver argument _dqs=0,
// SQLITE_DBCONFIG_DQS_DML and _DDL): a double-quoted name is always an identifier, so a
// misspelt column fails with "no such column" (ErrProgramming) as it does on PostgreSQL and
// MariaDB, instead of SQLite reading it as a string and, say, DELETE ... WHERE "staus" <> 'x'
// deleting every row. Write string literals in single quotes.
type SQLiteConfig struct {
	// JournalMode is PRAGMA journal_mode: DELETE, TRUNCATE, PERSIST, MEMORY, WAL or OFF
	// (default WAL for files; in-memory databases keep MEMORY).
	JournalMode string `yaml:"journal_mode,omitempty" json:"journal_mode,omitempty"`
	// ForeignKeys is PRAGMA foreign_keys, on unless set to false explicitly.
	ForeignKeys *bool `yaml:"foreign_keys,omitempty" json:"foreign_keys,omitempty"`
	// BusyTimeout is PRAGMA busy_timeout (default 5s): how long a statement waits for a lock
	// another connection holds, and how long a writer in the write queue lets the lock stay
	// with one writer before it gives up.
	BusyTimeout Duration `yaml:"busy_timeout,omitempty" json:"busy_timeout,omitempty"`
	// CacheSize is PRAGMA cache_size: pages, or KiB when negative.
	CacheSize int `yaml:"cache_size,omitempty" json:"cache_size,omitempty"`
	// MmapSize is PRAGMA mmap_size in bytes.
	MmapSize int64 `yaml:"mmap_size,omitempty" json:"mmap_size,omitempty"`
	// Synchronous is PRAGMA synchronous: OFF, NORMAL, FULL or EXTRA.
	Synchronous string `yaml:"synchronous,omitempty" json:"synchronous,omitempty"`
	// TxLock is how transactions begin: "immediate" (the default), "deferred" or "exclusive".
	TxLock string `yaml:"tx_lock,omitempty" json:"tx_lock,omitempty"`
}

// InitFunc runs on each new physical connection (PRAGMAs, SET statements, session settings).
// An error discards the connection and fails the statement that needed it.
type InitFunc func(ctx context.Context, c InitConn) error

// InitConn is the new connection an InitFunc prepares.
type InitConn interface {
	// Exec runs one statement with the engine's placeholders ($1 or ?).
	Exec(ctx context.Context, sql string, args ...any) error
}

// Duration is a time.Duration that reads and writes as text ("30s", "1h") in YAML and JSON; a
// bare number is a number of seconds.
type Duration time.Duration

// String formats like time.Duration.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText writes the duration as "1h0m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads "250ms", "30s", "1h", or "30" (seconds).
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := parseDuration(string(b))
	if err != nil {
		return fmt.Errorf("conn: duration %q: want a Go duration such as 30s or 1h, or a number of seconds", b)
	}
	*d = v
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
