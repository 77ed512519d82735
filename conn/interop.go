package conn

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

// FromSQL wraps a *sql.DB the caller opened and keeps owning, with the dialect its driver
// speaks: dialect.MySQL, dialect.MariaDB, dialect.SQLite, or dialect.Postgres for pgx's
// stdlib driver. Driver errors are classified as on a DB conn opened (the driver's own error
// types are what classification reads): import conn/postgres, conn/mysql or conn/sqlite for
// the errors of pgx, go-sql-driver/mysql or modernc.org/sqlite to be classified. The pool's
// settings stay the caller's; of the options, the pool's AcquireTimeout and the logging and
// tracing options apply (conn counts its own callers against the pool's MaxOpenConnections as
// it is now; a borrow that finds the pool full of other code's connections is bounded by
// AcquireTimeout as a whole, see PoolConfig.AcquireTimeout). Close stops this DB (waiting for
// its connections in use) and leaves the *sql.DB open.
//
//	sqlDB, err := sql.Open("sqlite", "file:app.db")
//	db, err := conn.FromSQL(sqlDB, dialect.SQLite)
func FromSQL(sqlDB *sql.DB, d dialect.Dialect, opts ...Option) (*DB, error) {
	if sqlDB == nil {
		return nil, errors.New("conn: FromSQL: nil *sql.DB")
	}
	if d == nil {
		return nil, errors.New("conn: FromSQL: nil dialect: pass dialect.Postgres, dialect.MySQL, dialect.MariaDB or dialect.SQLite")
	}
	if ours, ok := dialect.ByName(d.Name()); !ok || ours != d {
		return nil, fmt.Errorf("conn: FromSQL: dialect %q is not one of dialect.Postgres, dialect.MySQL, dialect.MariaDB or dialect.SQLite", d.Name())
	}
	r, err := wrapConfig(Config{Adapter: d.Name()}, opts)
	if err != nil {
		return nil, err
	}
	r.Pool.MaxConns = sqlDB.Stats().MaxOpenConnections
	be := &sqlBackend{db: sqlDB, acquireTimeout: time.Duration(r.Pool.AcquireTimeout), maxConns: r.Pool.MaxConns}
	be.lent.slots = newSlots(be.maxConns, be.acquireTimeout)
	return newNamedDB(r, be, d.Name()+" (a *sql.DB opened by the caller)"), nil
}

// wrapConfig applies the options to the config of a pool conn did not open and refuses the
// ones that cannot apply to it.
func wrapConfig(cfg Config, opts []Option) (Config, error) {
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.OnConnect) > 0 {
		return Config{}, errors.New("conn: init hooks cannot be added to a pool conn did not open: set them where the pool is made (pgxpool.Config.AfterConnect, or the driver's connector)")
	}
	if cfg.Pool.AcquireTimeout < 0 {
		return Config{}, errors.New("conn: pool acquire_timeout cannot be negative")
	}
	return cfg, nil
}
