package conn

import (
	"context"
	"errors"

	"github.com/typedsql/typedsql/builder"
)

// Routed returns a view of db whose every statement is offered to r: a read-replica set, a
// tenant's database. The view is a *DB used exactly like db (All, One, Each, Scalar, Exec,
// Atomic, WithConn, Using, the HTTP middleware): it shares db's pool, its deferred
// initialisation (Init on either initialises both) and its proxy target, and blocks begun on
// the view pin db's connections.
//
//	reads := primary.Routed(conn.RouterFunc(func(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
//		if conn.IsRead(stmt) {
//			return replica, nil // SELECT "id" FROM "users"             -> replica
//		}
//		return nil, nil // INSERT INTO "users" ... / SELECT ... FOR UPDATE -> primary
//	}))
//
// For each statement the routers of the context (WithRouter, Using) are asked first, then r;
// nil from r means db. Inside a block of db (Atomic, WithConn, the middleware) the statement
// runs on the block's connection whatever r answers: r is still called, and sees the block
// with Pinned. Routed on a view makes a view of the same db with the new router.
//
// If r implements Rerouter, a statement that fails outside a block (a replica crashed, a
// primary turned read-only) is offered to it once more (see Rerouter). If r implements
// Finisher, it hears when each statement it routed is done, and when the work of a block it
// routed statements into has been committed or rolled back (see Finisher).
func (db *DB) Routed(r Router) *DB {
	return &DB{base: db.root(), router: r}
}

// root is the DB a routed view is a view of, or db itself.
func (db *DB) root() *DB {
	if db != nil && db.base != nil {
		return db.base
	}
	return db
}

// Base returns the DB a routed view is a view of (see Routed), or db itself.
func (db *DB) Base() *DB { return db.root() }

// Pinned reports whether ctx pins a connection of db (or of the DB db is a view of): a
// statement made with ctx on db runs inside an Atomic block, WithConn or the HTTP
// middleware's request, on that connection. A router uses it to keep such statements on the
// primary, with the transaction they belong to.
func (db *DB) Pinned(ctx context.Context) bool {
	sc := db.scopeOf(ctx)
	return sc != nil && !sc.ended.Load()
}

// routeOwn asks a view's router where a statement goes, once the context's routers left it
// to db: the router's choice, or the base DB when it has none or the context pins the base's
// connection.
func (db *DB) routeOwn(ctx context.Context, stmt Statement) (*DB, error) {
	dst, err := db.router.Route(ctx, db, stmt)
	if err != nil {
		return nil, err
	}
	if dst == nil || dst == db || db.base.scopeOf(ctx) != nil {
		return db.base, nil
	}
	return dst, nil
}

// Rerouter is a Router that gets a second chance at a statement that failed. When a
// statement made on a routed view outside any block fails on the DB it was routed to, and
// the error is of class ErrReadOnly (a write on a server that turned read-only: nothing was
// written) or ErrOperational (the server is down or the connection was lost), Reroute is
// called with the DB that failed and the error. It returns the DB to run the statement on
// once more, or nil to return the error as it is. A router must not send a statement that may
// have written (anything but a read) again after an ErrOperational: it may have run.
//
// Before Reroute is called on ErrReadOnly, the failed DB's idle connections are closed, so
// that none still talks to the server that turned read-only.
type Rerouter interface {
	Router
	Reroute(ctx context.Context, db *DB, stmt Statement, failed *DB, err error) (*DB, error)
}

// Finisher is a Router that is told when what it routed is done: when each statement has
// finished, and when the work of a block it routed statements into has settled. A router that
// must tell a statement still running from one that has run implements it: read-your-writes
// (package replica) counts a write as seen by the primary's position only once it has
// finished; a router can count the writes running on the primary:
//
//	type counting struct{ primary *conn.DB; writing atomic.Int64 }
//
//	func (c *counting) Route(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
//		if !conn.IsRead(stmt) {
//			c.writing.Add(1)
//		}
//		return c.primary, nil
//	}
//	func (c *counting) Finished(ctx context.Context, db *conn.DB, stmt conn.Statement, err error) {
//		if !conn.IsRead(stmt) {
//			c.writing.Add(-1) // done, failed or not: Route's Add is matched
//		}
//	}
//	func (c *counting) Settled(ctx context.Context, db *conn.DB) {}
//
// Finished is called once for each call of Route that conn made to run a statement and that
// returned no error, when that statement is done: as Exec and the fetch functions return, as
// a Query's Rows are closed or read to the end (Rows never closed never finish), after the
// second chance a Rerouter gave it, and also when it failed before it reached the server. err
// is the statement's error, nil when it succeeded; a statement that failed may still have
// written (its reply was lost, its COMMIT's outcome is unknown). It is called on the goroutine
// that ends the statement, with the context the statement was made with, which may be done by
// then. conn also asks Route where a statement would run only to learn its dialect
// (InsertID, InsertBatched, Explain): it finishes those asks at once. A router that hands a
// statement to another routed view, whose router then chooses, is finished at once too.
// DB.Route, called by hand, runs nothing and is never finished.
//
// A statement in a block (Route saw Pinned) finishes like any other, but what it wrote lands
// when the block's transaction ends. Settled is called once per routed view whose router
// routed statements onto a pinned connection, when the work on it has been committed or rolled
// back, whatever the outcome: after the outermost Atomic block's COMMIT or ROLLBACK (before
// its OnCommit and OnRollback hooks), the outermost Block's Commit and Rollback, a Session's
// Commit and Rollback, and the end of WithConn or of a Session. ctx is the context the block,
// WithConn or Session was begun with, and db the view.
//
// Both are called while the statement's or the block's caller waits: they must be quick and
// safe for concurrent use. Only a routed view's own router (Routed) is told, not routers
// installed in a context (WithRouter, Using). A router that does not implement Finisher costs
// the statements nothing.
type Finisher interface {
	Router
	Finished(ctx context.Context, db *DB, stmt Statement, err error)
	Settled(ctx context.Context, db *DB)
}

// reroute resolves the target of a statement's second try after err on t, or ok false.
func (db *DB) reroute(ctx context.Context, stmt Statement, t target, err error) (target, bool) {
	rr, ok := db.router.(Rerouter)
	if !ok || t.db == nil || !(errors.Is(err, ErrReadOnly) || errors.Is(err, ErrOperational)) ||
		errors.Is(err, ErrSerialization) || errors.Is(err, ErrCommitUnknown) {
		return target{}, false
	}
	if errors.Is(err, ErrReadOnly) {
		t.h.be.evictIdle()
	}
	dst, rerr := rr.Reroute(ctx, db, stmt, t.db, err)
	if rerr != nil || dst == nil {
		return target{}, false
	}
	h, herr := dst.handle()
	if herr != nil {
		return target{}, false
	}
	return target{db: dst, h: h, q: h.be, fin: t.fin}, true
}

// ReadOnly marks SQL text (or any statement) as one that only reads, so that a router may
// send it to a read replica (IsRead reports true); unmarked SQL text goes to the primary.
// The statement renders and runs as it is.
//
//	n, err := conn.Scalar[int64](ctx, db, conn.ReadOnly(conn.SQL("SELECT count(*) FROM users")))
func ReadOnly(stmt Statement) Statement {
	if stmt == nil {
		return nil
	}
	if _, ok := stmt.(readOnlyStmt); ok {
		return stmt
	}
	return readOnlyStmt{stmt}
}

// readOnlyStmt is a statement ReadOnly marked. It keeps the statement's table list, so Using
// still routes it.
type readOnlyStmt struct{ Statement }

// Tables returns the wrapped statement's tables, when it lists them.
func (s readOnlyStmt) Tables() []string {
	if tl, ok := s.Statement.(tableLister); ok {
		return tl.Tables()
	}
	return nil
}

// unwrapReadOnly returns the statement ReadOnly wrapped, or stmt.
func unwrapReadOnly(stmt Statement) Statement {
	if ro, ok := stmt.(readOnlyStmt); ok {
		return ro.Statement
	}
	return stmt
}

// IsRead reports whether a statement only reads, by what it is and never by its SQL text: a
// builder SELECT or set operation without a locking clause or a writing WITH query
// (builder.SelectStmt.ReadOnly), or a statement marked with ReadOnly. INSERT, UPDATE, DELETE,
// SELECT ... FOR UPDATE and unmarked SQL text may write.
func IsRead(stmt Statement) bool {
	switch s := stmt.(type) {
	case *builder.SelectStmt:
		return s.ReadOnly()
	case *builder.SetStmt:
		return s.ReadOnly()
	case readOnlyStmt:
		return true
	}
	return false
}
