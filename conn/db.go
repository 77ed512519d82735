package conn

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/typedsql/typedsql/conn/config"
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
	// base and router are set on a routed view (routed.go): the view runs on base's handle,
	// pins base's connections, and asks router where each statement goes.
	base   *DB
	router Router
	// initMu makes Init and Uninit take effect one at a time; opts are the options Deferred
	// was given, applied at every Init.
	initMu sync.Mutex
	opts   []Option
}

// handle is one opened database: its backend, dialect and the resolved config it came from.
type handle struct {
	be backend
	// dia is the dialect: the one the URL named, until the server's version (version.go)
	// says which the server speaks.
	dia atomic.Pointer[dialectBox]
	cfg Config
	// name is the database as String shows it: the redacted URL, or what stands for it.
	name string
	// obs is the statement log and tracer (log.go, trace.go).
	obs observer
	// version is the server's version, once asked (version.go).
	version serverVersion
}

// dialectBox holds a dialect for atomic.Pointer (the dialects are values of several types).
type dialectBox struct{ d dialect.Dialect }

// dialect returns the handle's dialect, or nil for a handle made without one (tests).
func (h *handle) dialect() dialect.Dialect {
	if b := h.dia.Load(); b != nil {
		return b.d
	}
	return nil
}

func newDB(r Config, be backend) *DB { return newNamedDB(r, be, config.RedactedURL(r)) }

// newNamedDB is newDB for a DB whose name is not its URL (a pool the caller built, whose URL
// conn never saw): name is what String, logs and errors show.
func newNamedDB(r Config, be backend, name string) *DB {
	db := &DB{}
	d, _ := dialect.ByName(r.Adapter)
	obs := newObserver(r)
	obs.name = name
	h := &handle{be: be, cfg: r, name: name, obs: obs}
	h.dia.Store(&dialectBox{d})
	db.h.Store(h)
	return db
}

// handle returns the current handle or ErrNotInitialized.
func (db *DB) handle() (*handle, error) {
	if db == nil {
		return nil, ErrNotInitialized
	}
	if db.base != nil {
		db = db.base
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
		return h.dialect()
	}
	return nil
}

// String describes the database as a URL whose password reads "xxxxx".
func (db *DB) String() string {
	h, err := db.handle()
	if err != nil {
		return "conn.DB(uninitialized)"
	}
	return h.name
}

// Connect opens a connection and pings the server, so that a wrong host, password or database
// name is reported now rather than on the first statement. It also asks the server's version
// (see ServerVersion), and from then on the DB renders the dialect the server speaks.
func (db *DB) Connect(ctx context.Context) error {
	h, err := db.handle()
	if err != nil {
		return err
	}
	if err := h.be.ping(ctx); err != nil {
		return classify(h, fmt.Errorf("conn: connect to %s: %w", h.name, err))
	}
	// The server's version picks the dialect it speaks (a mysql:// URL on MariaDB renders
	// MariaDB's), before the first statement.
	if _, err := h.serverVersion(ctx); err != nil {
		return classify(h, fmt.Errorf("conn: connect to %s: %w", h.name, err))
	}
	return nil
}

// Close closes the DB: new statements fail with ErrClosed at once, the connections in use are
// waited for (up to the pool's CloseTimeout, 30 seconds unless configured), and every
// connection is closed. Connections still in use when the wait ends are closed as they come
// back, and Close returns an error matching ErrConnsInUse that says how many there were.
//
//	defer db.Close()
//
// Inside a block of db (Atomic, WithConn, the HTTP middleware), use CloseContext with the
// block's context: Close cannot tell that its caller holds a connection, and waits for it
// until the timeout.
func (db *DB) Close() error {
	h, err := db.handle()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), durationOr(h.cfg.Pool.CloseTimeout, defaultCloseTimeout))
	defer cancel()
	return db.closeHandle(ctx, h, 0)
}

// CloseContext is Close waiting for the connections in use only as long as ctx allows (a
// shutdown deadline, say). Called with the context of a block of db, it does not wait for that
// block's own connection, which closes when the block ends:
//
//	db.Atomic(ctx, func(ctx context.Context) error {
//		...
//		return db.CloseContext(ctx) // waits for the others, not for this block
//	})
func (db *DB) CloseContext(ctx context.Context) error {
	h, err := db.handle()
	if err != nil {
		return err
	}
	keep := 0
	if sc := db.scopeOf(ctx); sc != nil && !sc.ended.Load() && sc.h == h {
		keep = 1 // the caller's own connection comes back only after CloseContext returns
	}
	return db.closeHandle(ctx, h, keep)
}

func (db *DB) closeHandle(ctx context.Context, h *handle, keep int) error {
	inUse, err := h.be.close(ctx, keep)
	if inUse > keep {
		err = errors.Join(err, &ConnsInUseError{InUse: inUse - keep, Cause: context.Cause(ctx)})
	}
	return err
}

// Stats returns the pool's counters.
func (db *DB) Stats() PoolStats {
	h, err := db.handle()
	if err != nil {
		return PoolStats{}
	}
	return h.be.stats()
}
