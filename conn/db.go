package conn

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/typedsql/typedsql/dialect"
)

// DB is a database handle: a pool of connections to one database and the rules for choosing
// one of them per statement. It is safe for concurrent use; make one per database and share it.
type DB struct {
	// h is the live pool and its dialect. It sits behind an atomic pointer so that a DB can be
	// declared before it is configured (deferred initialisation) and retargeted at run time (a
	// proxy) while statements already running finish on the handle they loaded.
	h atomic.Pointer[handle]
	// proxy is set on the DB a Proxy embeds: its handle is the proxy's to swap, never Init's.
	proxy *Proxy
}

// handle is one opened database: its backend, dialect and the resolved config it came from.
type handle struct {
	be  backend
	d   dialect.Dialect
	cfg Config
	// obs is the statement log and tracer (log.go, trace.go).
	obs observer
}

func newDB(r Config, be backend) *DB {
	db := &DB{}
	db.h.Store(&handle{be: be, d: r.dialect(), cfg: r, obs: newObserver(r)})
	return db
}

// handle returns the current handle or ErrNotInitialized.
func (db *DB) handle() (*handle, error) {
	if db == nil {
		return nil, ErrNotInitialized
	}
	h := db.h.Load()
	if h == nil {
		return nil, ErrNotInitialized
	}
	return h, nil
}

// Dialect returns the SQL dialect of the database, or nil before the DB is initialised.
func (db *DB) Dialect() dialect.Dialect {
	if h, err := db.handle(); err == nil {
		return h.d
	}
	return nil
}

// String describes the database as a URL whose password reads "xxxxx".
func (db *DB) String() string {
	h, err := db.handle()
	if err != nil {
		return "conn.DB(uninitialized)"
	}
	return h.cfg.redactedURL()
}

// Connect opens a connection and pings the server, so that a wrong host, password or database
// name is reported now rather than on the first statement.
func (db *DB) Connect(ctx context.Context) error {
	h, err := db.handle()
	if err != nil {
		return err
	}
	if err := h.be.ping(ctx); err != nil {
		return classify(h, fmt.Errorf("conn: connect to %s: %w", h.cfg.redactedURL(), err))
	}
	return nil
}

// Close waits for the connections in use to come back to the pool, then closes them all.
// Statements made after Close fail.
func (db *DB) Close() error {
	h, err := db.handle()
	if err != nil {
		return err
	}
	return h.be.close()
}

// Stats returns the pool's counters.
func (db *DB) Stats() PoolStats {
	h, err := db.handle()
	if err != nil {
		return PoolStats{}
	}
	return h.be.stats()
}
