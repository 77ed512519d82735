package conn

import (
	"context"
	"time"

	"github.com/typedsql/typedsql/conn/config"
)

// Pool defaults shared by every engine, so a DB behaves the same whichever one it talks to.
const (
	defaultMaxLifetime  = time.Hour
	defaultMaxIdleTime  = 30 * time.Minute
	defaultCloseTimeout = 30 * time.Second
	// defaultConnectTimeout bounds opening one physical connection (dial, TLS, login) when
	// the config sets no connect_timeout: long enough for a distant or busy server, short
	// enough that a host that swallows packets is reported instead of hanging a statement
	// that has no deadline of its own.
	defaultConnectTimeout = 10 * time.Second
	// discardTimeout bounds cleaning up a connection conn is about to discard.
	discardTimeout = 5 * time.Second
	// sqliteMemoryDatabase is the database name of an in-memory SQLite database.
	sqliteMemoryDatabase = ":memory:"
)

// Open returns a DB for the database URL (see ParseURL for the forms). It returns quickly
// without connecting, unless the URL or an option asks to connect eagerly; call Connect to
// surface a bad host, password or database at once.
//
//	db, err := conn.Open(ctx, "postgres://app@localhost/app?pool_max_conns=20&sslmode=disable")
//	db, err := conn.Open(ctx, "sqlite:///app.db", conn.ConnectEagerly())
func Open(ctx context.Context, rawURL string, opts ...Option) (*DB, error) {
	if rawURL == "" {
		_, err := ParseURL(rawURL)
		return nil, err
	}
	return OpenConfig(ctx, Config{URL: rawURL}, opts...)
}

// OpenConfig returns a DB for cfg, after applying opts to it. Explicit fields of cfg win over
// what cfg.URL says.
//
//	db, err := conn.OpenConfig(ctx, conn.Config{
//		Adapter: "mysql", Host: "db", User: "app", Password: pw, Database: "app",
//		Pool: conn.PoolConfig{MaxConns: 20, AcquireTimeout: conn.Duration(5 * time.Second)},
//	})
func OpenConfig(ctx context.Context, cfg Config, opts ...Option) (*DB, error) {
	for _, o := range opts {
		o(&cfg)
	}
	r, err := config.Resolve(cfg)
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

// WithSQLite sets the SQLite pragmas.
func WithSQLite(s SQLiteConfig) Option { return func(c *Config) { c.SQLite = s } }

// WithInit adds a function run on every new physical connection, after the ones already set.
//
//	conn.WithInit(func(ctx context.Context, c conn.InitConn) error {
//		return c.Exec(ctx, "SET TIME ZONE 'UTC'")
//	})
func WithInit(fn InitFunc) Option {
	return func(c *Config) { c.OnConnect = append(c.OnConnect, fn) }
}

// ConnectEagerly makes Open connect and ping before it returns (and open MinConns
// connections), so that a bad host, password or database is Open's error.
func ConnectEagerly() Option { return func(c *Config) { c.ConnectEagerly = true } }

// openBackend opens the backend of the engine registered for the adapter (engines.go): a
// native engine's own pool (PostgreSQL's pgxpool, from conn/postgres), or a database/sql pool
// on the engine's connector, with the pragmas, in-memory keeper and write queue of a file
// engine (SQLite).
func openBackend(ctx context.Context, r Config) (backend, error) {
	eng, err := engineFor(r.Adapter)
	if err != nil {
		return nil, err
	}
	switch {
	case eng.Open != nil:
		return openNative(ctx, r)
	case eng.File:
		return openSQLite(ctx, r)
	}
	return openMySQL(ctx, r)
}

func durationOr(d Duration, def time.Duration) time.Duration {
	if d > 0 {
		return time.Duration(d)
	}
	return def
}
