package conn

import (
	"context"
	"errors"
	"slices"
)

// errInitProxy: Init or Uninit was called on the DB of a Proxy.
var errInitProxy = errors.New("conn: Init or Uninit on a Proxy's DB: give a proxy its database with Proxy.Set (Set(nil) to detach it)")

// Deferred returns a DB that has no database yet, for code that must declare its DB before the
// URL is known (read from a file, the environment, a flag). Every call on it fails with
// ErrNotInitialized until Init or InitConfig gives it one. The zero DB is the same thing:
//
//	var db conn.DB // or: var db = conn.Deferred()
//
//	func main() {
//		if err := db.Init(ctx, os.Getenv("DATABASE_URL")); err != nil { ... }
//	}
//
// Options given here (init hooks, pool settings, a logger, a tracer) are applied at every Init,
// before Init's own options, so code that declares the DB can also say how it is to be used
// while the URL comes later:
//
//	var db = conn.Deferred(conn.WithLogger(logger), conn.WithPool(conn.PoolConfig{MaxConns: 8}))
func Deferred(opts ...Option) *DB { return &DB{opts: slices.Clone(opts)} }

// Init opens the database at rawURL (see Open) and makes it the DB's database.
//
// Init may run again on an initialised DB (peewee's init): the new database takes over for
// every statement and block that starts after Init returns, while the blocks, result sets and
// statements already running on the old one finish there; the old pool is closed as soon as
// nothing uses it (at once when nothing does), without Init waiting for it. If opening the new
// database fails, the DB keeps the database it had. Init after Close is the same: the DB is
// usable again. Concurrent Inits take effect one after the other; the last one's database
// stays.
func (db *DB) Init(ctx context.Context, rawURL string, opts ...Option) error {
	return db.InitConfig(ctx, Config{URL: rawURL}, opts...)
}

// InitConfig is Init from a Config (see OpenConfig).
func (db *DB) InitConfig(ctx context.Context, cfg Config, opts ...Option) error {
	if db == nil {
		return ErrNotInitialized
	}
	db = db.root() // a routed view initialises the DB it is a view of
	if db.proxy != nil {
		return errInitProxy
	}
	db.initMu.Lock()
	defer db.initMu.Unlock()
	if len(db.opts) > 0 {
		opts = append(slices.Clip(db.opts), opts...)
	}
	opened, err := OpenConfig(ctx, cfg, opts...)
	if err != nil {
		return err
	}
	// The handle moves from the DB Open made to this one; the other DB is dropped unused.
	if old := db.h.Swap(opened.h.Load()); old != nil {
		old.be.retire()
	}
	return nil
}

// Uninit takes the DB's database away: statements and blocks that start afterwards fail with
// ErrNotInitialized until the next Init, while those already running finish on the database,
// whose pool is closed as soon as nothing uses it (at once when nothing does), without Uninit
// waiting for it. Options given to Deferred stay for the next Init. Uninit on a DB without a
// database does nothing.
//
//	db.Uninit()                               // back to a declared, unconfigured DB
//	err := db.Init(ctx, "sqlite:///other.db") // and later on to another database
func (db *DB) Uninit() error {
	if db == nil {
		return nil
	}
	db = db.root()
	if db.proxy != nil {
		return errInitProxy
	}
	db.initMu.Lock()
	defer db.initMu.Unlock()
	if old := db.h.Swap(nil); old != nil {
		old.be.retire()
	}
	return nil
}

// Initialized reports whether the DB has a database, so code that may run before Init can
// tell without making a statement.
func (db *DB) Initialized() bool { return db != nil && db.root().h.Load() != nil }
