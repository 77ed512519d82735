package conn

import (
	"context"
	"sync/atomic"
)

// scope is one physical connection pinned to a context: every statement made with that
// context (or one derived from it) on the scope's DB runs on sess. WithConn and Atomic blocks
// create scopes; the block's end releases the connection and marks the scope ended, so a
// context that outlives its block fails clearly instead of borrowing a stray connection.
type scope struct {
	db    *DB
	h     *handle
	sess  session
	ended atomic.Bool
	// tx is the transaction state of an Atomic block on this connection, if any.
	tx any
	// broken is set when the connection's state is unknown (a failed rollback, an interrupted
	// statement), so that release discards it instead of pooling it.
	broken atomic.Bool
}

// scopeKey keys a DB's scope in a context. Keying by DB lets one context carry pinned
// connections of several databases at once (for example, with Using).
type scopeKey struct{ db *DB }

// scopeOf returns the scope of db that ctx carries, or nil.
func (db *DB) scopeOf(ctx context.Context) *scope {
	sc, _ := ctx.Value(scopeKey{db}).(*scope)
	return sc
}

// WithConn runs fn with one connection of db pinned in its context: every statement fn makes
// with that context uses the same connection, so session state (temporary tables, session
// variables, SET statements) carries from one statement to the next. The connection goes back to
// the pool when fn returns, or is closed if fn panicked, the context was cancelled or the
// connection was left inside a transaction. If ctx already pins a connection of db, fn runs on
// that one.
//
//	err := db.WithConn(ctx, func(ctx context.Context) error {
//		db.Exec(ctx, conn.SQL("CREATE TEMPORARY TABLE scratch (id int)"))
//		_, err := db.Exec(ctx, conn.SQL("INSERT INTO scratch VALUES (1)")) // same connection
//		return err
//	})
func (db *DB) WithConn(ctx context.Context, fn func(ctx context.Context) error) error {
	if sc := db.scopeOf(ctx); sc != nil {
		if sc.ended.Load() {
			return ErrBlockEnded
		}
		return fn(ctx)
	}
	sc, err := db.pin(ctx)
	if err != nil {
		return err
	}
	panicked := true
	defer func() { sc.end(ctx, panicked) }()
	err = fn(context.WithValue(ctx, scopeKey{db}, sc))
	panicked = false
	return err
}

// pin takes a connection out of the pool for a new scope.
func (db *DB) pin(ctx context.Context) (*scope, error) {
	h, err := db.handle()
	if err != nil {
		return nil, err
	}
	sess, err := h.be.acquire(ctx)
	if err != nil {
		return nil, classify(h, err)
	}
	return &scope{db: db, h: h, sess: sess}, nil
}

// end marks the scope ended and gives its connection back, or discards it when its state
// cannot be trusted.
func (sc *scope) end(ctx context.Context, panicked bool) {
	sc.ended.Store(true)
	discard := panicked || sc.broken.Load() || ctx.Err() != nil || sc.sess.inTx()
	sc.sess.release(discard)
}
