package conn

import (
	"context"
	"errors"
)

// errInitProxy: Init was called on the DB of a Proxy.
var errInitProxy = errors.New("conn: Init on a Proxy's DB: give a proxy its database with Proxy.Set")

// Deferred returns a DB that has no database yet, for code that must declare its DB before the
// URL is known (read from a file, the environment, a flag). Every call on it fails with
// ErrNotInitialized until Init or InitConfig gives it one. The zero DB is the same thing:
//
//	var db conn.DB // or: var db = conn.Deferred()
//
//	func main() {
//		if err := db.Init(ctx, os.Getenv("DATABASE_URL")); err != nil { ... }
//	}
func Deferred() *DB { return new(DB) }

// Init opens the database at rawURL (see Open) for a DB that was declared without one. It
// fails with ErrAlreadyInitialized if the DB has one already, including when another
// goroutine's Init won the race; the database the loser opened is closed again.
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
	if db.h.Load() != nil {
		return ErrAlreadyInitialized
	}
	opened, err := OpenConfig(ctx, cfg, opts...)
	if err != nil {
		return err
	}
	// The handle moves from the DB Open made to this one; the other DB is dropped unused.
	if !db.h.CompareAndSwap(nil, opened.h.Load()) {
		opened.Close()
		return ErrAlreadyInitialized
	}
	return nil
}

// Initialized reports whether the DB has a database, so code that may run before Init can
// tell without making a statement.
func (db *DB) Initialized() bool { return db != nil && db.root().h.Load() != nil }
