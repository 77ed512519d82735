package conn

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"modernc.org/sqlite"
)

// Pool defaults shared by every engine, so a DB behaves the same whichever one it talks to.
const (
	defaultMaxLifetime = time.Hour
	defaultMaxIdleTime = 30 * time.Minute
)

// Open returns a DB for the database URL (see ParseURL for the forms). It returns quickly
// without connecting, unless the config asks to connect eagerly; call Connect to surface a bad
// host, password or database at once.
//
//	db, err := conn.Open(ctx, "postgres://app@localhost/app?pool_max_conns=20")
func Open(ctx context.Context, rawURL string, opts ...Option) (*DB, error) {
	return OpenConfig(ctx, Config{URL: rawURL}, opts...)
}

// OpenConfig returns a DB for cfg, after applying opts to it.
func OpenConfig(ctx context.Context, cfg Config, opts ...Option) (*DB, error) {
	for _, o := range opts {
		o(&cfg)
	}
	r, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	be, err := openBackend(ctx, r)
	if err != nil {
		return nil, err
	}
	db := newDB(r, be)
	if r.ConnectEagerly {
		if err := db.Connect(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// Option adjusts a Config before Open uses it.
type Option func(*Config)

// WithPool sets the pool configuration.
func WithPool(p PoolConfig) Option { return func(c *Config) { c.Pool = p } }

// WithInit adds a function run on every new physical connection.
func WithInit(fn InitFunc) Option {
	return func(c *Config) { c.OnConnect = append(c.OnConnect, fn) }
}

// ConnectEagerly makes Open connect and ping before it returns.
func ConnectEagerly() Option { return func(c *Config) { c.ConnectEagerly = true } }

func openBackend(ctx context.Context, r Config) (backend, error) {
	switch r.Adapter {
	case "postgres":
		return openPostgres(ctx, r)
	case "mysql", "mariadb":
		return openMySQL(r)
	case "sqlite":
		return openSQLite(ctx, r)
	}
	return nil, fmt.Errorf("conn: unknown adapter %q", r.Adapter)
}

func lifetimeOr(d Duration, def time.Duration) time.Duration {
	if d > 0 {
		return time.Duration(d)
	}
	return def
}

// openPostgres translates the config into pgxpool's own Config. The URL handed to pgx's parser
// is built with net/url, so driver arguments (sslmode, application_name, ...) get pgx's own
// handling.
func openPostgres(ctx context.Context, r Config) (backend, error) {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(r.Host, strconv.Itoa(r.Port)), Path: "/" + r.Database}
	if r.User != "" {
		u.User = url.UserPassword(r.User, r.Password)
		if r.Password == "" {
			u.User = url.User(r.User)
		}
	}
	q := url.Values{}
	for k, v := range r.DriverArgs {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	pc, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("conn: postgres config for %s: %w", r.redactedURL(), redactErr(err, r.Password))
	}
	p := r.Pool
	pc.MaxConns = int32(p.MaxConns)
	pc.MinConns = int32(p.MinConns)
	pc.MaxConnLifetime = lifetimeOr(p.MaxLifetime, defaultMaxLifetime)
	pc.MaxConnIdleTime = lifetimeOr(p.MaxIdleTime, defaultMaxIdleTime)
	if p.HealthCheckPeriod > 0 {
		pc.HealthCheckPeriod = time.Duration(p.HealthCheckPeriod)
	}
	if r.ConnectTimeout > 0 {
		pc.ConnConfig.ConnectTimeout = time.Duration(r.ConnectTimeout)
	}
	if hooks := r.OnConnect; len(hooks) > 0 {
		pc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			return runInit(ctx, hooks, pgxInitConn{c})
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("conn: open %s: %w", r.redactedURL(), redactErr(err, r.Password))
	}
	return &pgxBackend{pool: pool, acquireTimeout: time.Duration(p.AcquireTimeout), owned: true}, nil
}

// openMySQL translates the config into go-sql-driver/mysql's Config; driver arguments are
// parsed by the driver's own DSN parser.
func openMySQL(r Config) (backend, error) {
	mc := mysql.NewConfig()
	mc.User = r.User
	mc.Passwd = r.Password
	mc.Net = "tcp"
	mc.Addr = net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	mc.DBName = r.Database
	mc.ParseTime = true
	mc.Timeout = time.Duration(r.ConnectTimeout)
	if len(r.DriverArgs) > 0 {
		q := url.Values{}
		for k, v := range r.DriverArgs {
			q.Set(k, v)
		}
		sep := "?"
		dsn := mc.FormatDSN()
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		parsed, err := mysql.ParseDSN(dsn + sep + q.Encode())
		if err != nil {
			return nil, fmt.Errorf("conn: mysql driver arguments for %s: %w", r.redactedURL(), redactErr(err, r.Password))
		}
		mc = parsed
	}
	connector, err := mysql.NewConnector(mc)
	if err != nil {
		return nil, fmt.Errorf("conn: mysql config for %s: %w", r.redactedURL(), redactErr(err, r.Password))
	}
	return newSQLBackend(sql.OpenDB(withInit(connector, r.OnConnect)), r), nil
}

// openSQLite builds a modernc.org/sqlite DSN whose pragmas run on every new connection.
// ":memory:" becomes a named database in the memdb VFS, which every connection of this DB
// shares (a plain ":memory:" would give each pooled connection its own empty database).
func openSQLite(ctx context.Context, r Config) (backend, error) {
	s := r.SQLite
	q := url.Values{}
	for k, v := range r.DriverArgs {
		q.Set(k, v)
	}
	fk := s.ForeignKeys == nil || *s.ForeignKeys
	q.Add("_pragma", "foreign_keys("+strconv.FormatBool(fk)+")")
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(time.Duration(s.BusyTimeout).Milliseconds(), 10)+")")
	memory := r.Database == sqliteMemoryDatabase
	journal := s.JournalMode
	if journal == "" && !memory {
		journal = "WAL"
	}
	if journal != "" {
		q.Add("_pragma", "journal_mode("+journal+")")
	}
	if s.Synchronous != "" {
		q.Add("_pragma", "synchronous("+s.Synchronous+")")
	}
	if s.CacheSize != 0 {
		q.Add("_pragma", "cache_size("+strconv.Itoa(s.CacheSize)+")")
	}
	if s.MmapSize != 0 {
		q.Add("_pragma", "mmap_size("+strconv.FormatInt(s.MmapSize, 10)+")")
	}
	if q.Get("_txlock") == "" {
		// Write transactions take the write lock at BEGIN, so concurrent writers queue on
		// busy_timeout instead of failing with "database is locked" on their first write.
		q.Set("_txlock", "immediate")
	}
	var dsn string
	if memory {
		q.Set("vfs", "memdb")
		dsn = "file:/typedsql-memory-" + randomName() + "?" + q.Encode()
	} else {
		dsn = "file:" + (&url.URL{Path: r.Database}).EscapedPath() + "?" + q.Encode()
	}
	connector, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("conn: sqlite config for %s: %w", r.redactedURL(), err)
	}
	b := newSQLBackend(sql.OpenDB(withInit(connector, r.OnConnect)), r)
	if memory {
		// The memdb database lives as long as one connection to it is open. That keeper
		// connection is not one of the pool's: it gets a slot of its own.
		b.db.SetMaxOpenConns(r.Pool.MaxConns + 1)
		b.db.SetMaxIdleConns(r.Pool.MaxConns + 1)
		b.db.SetConnMaxLifetime(0)
		b.db.SetConnMaxIdleTime(0)
		keep, err := b.db.Conn(ctx)
		if err != nil {
			b.db.Close()
			return nil, fmt.Errorf("conn: open in-memory sqlite: %w", err)
		}
		b.keep = keep
	}
	return b, nil
}

func newSQLBackend(db *sql.DB, r Config) *sqlBackend {
	p := r.Pool
	db.SetMaxOpenConns(p.MaxConns)
	db.SetMaxIdleConns(p.MaxConns)
	db.SetConnMaxLifetime(lifetimeOr(p.MaxLifetime, defaultMaxLifetime))
	db.SetConnMaxIdleTime(lifetimeOr(p.MaxIdleTime, defaultMaxIdleTime))
	return &sqlBackend{db: db, acquireTimeout: time.Duration(p.AcquireTimeout), maxConns: p.MaxConns, owned: true}
}

func randomName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// redactErr keeps a password out of an error's text: a driver may echo its connection string.
func redactErr(err error, password string) error {
	if err == nil || password == "" || !strings.Contains(err.Error(), password) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), password, "xxxxx"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// withInit wraps a database/sql connector so the init functions run on each new connection.
func withInit(c driver.Connector, hooks []InitFunc) driver.Connector {
	if len(hooks) == 0 {
		return c
	}
	return &initConnector{Connector: c, hooks: hooks}
}

type initConnector struct {
	driver.Connector
	hooks []InitFunc
}

func (ic *initConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := ic.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := runInit(ctx, ic.hooks, driverInitConn{c}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func runInit(ctx context.Context, hooks []InitFunc, c InitConn) error {
	for i, h := range hooks {
		if err := h(ctx, c); err != nil {
			return fmt.Errorf("conn: connection init hook %d: %w", i+1, err)
		}
	}
	return nil
}

type pgxInitConn struct{ c *pgx.Conn }

func (p pgxInitConn) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := p.c.Exec(ctx, sql, args...)
	return err
}

type driverInitConn struct{ c driver.Conn }

func (d driverInitConn) Exec(ctx context.Context, q string, args ...any) error {
	ex, ok := d.c.(driver.ExecerContext)
	if !ok {
		return fmt.Errorf("conn: driver connection %T cannot execute init statements", d.c)
	}
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return fmt.Errorf("conn: init statement argument %d: %w", i+1, err)
		}
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	_, err := ex.ExecContext(ctx, q, named)
	return err
}
