package conn

import (
	"context"
	"errors"
	"time"
)

// Pool upkeep (peewee's close_idle, close_stale and close_all): closing connections on
// request while the DB stays usable. A connection in use is never closed under its user: it
// is closed when it comes back to the pool, and a caller waiting on a full pool then gets a
// new connection in its place. Stats counts what each closed (ClosedByCloseIdle,
// ClosedByCloseStale, ClosedByResetPool) as the connections close.

// CloseIdle closes every connection idle in the pool now; connections in use are left alone.
// The pool opens new connections as statements need them. A caller waiting for a connection
// is never kept waiting by it: a pool has idle connections only when nobody waits.
//
//	err := db.CloseIdle(ctx) // e.g. after a burst, to give the server its connections back
func (db *DB) CloseIdle(ctx context.Context) error {
	h, err := db.upkeepHandle()
	if err != nil {
		return err
	}
	return h.be.closeIdle(ctx)
}

// CloseStale closes the connections opened more than age ago: those idle now, those in use
// when they come back. On MySQL/MariaDB and SQLite (database/sql pools) an idle stale
// connection is closed when it is next taken from the pool, where database/sql asks whether
// it is still good and takes another: database/sql closes no single idle connection on
// request. The pool's MaxLifetime does the same on its own schedule; CloseStale is for doing
// it now (a credential rotated, a server setting changed, a failover).
//
//	err := db.CloseStale(ctx, 10*time.Minute)
//
// A connection CloseStale condemned stays condemned when a later call gives a longer age. On a
// pool that conn did not open (postgres.FromPool) the connections' ages are unknown and every
// connection counts as stale; on one FromSQL wraps CloseStale is an error.
func (db *DB) CloseStale(ctx context.Context, age time.Duration) error {
	if age < 0 {
		return errors.New("conn: CloseStale: negative age")
	}
	h, err := db.upkeepHandle()
	if err != nil {
		return err
	}
	return h.be.closeStale(ctx, age)
}

// ResetPool closes every connection of the pool while the DB stays usable: the idle ones now,
// those in use when they come back (their blocks and result sets finish first). Statements
// made afterwards run on new connections, and a caller waiting on a full pool gets a new
// connection as soon as one in use comes back. Use it when every connection has become
// suspect (the server restarted or failed over, its settings or the credentials changed).
//
//	err := db.ResetPool(ctx)
//
// On a pool FromSQL wraps it is an error: close and reopen the *sql.DB instead.
func (db *DB) ResetPool(ctx context.Context) error {
	h, err := db.upkeepHandle()
	if err != nil {
		return err
	}
	return h.be.resetPool(ctx)
}

// upkeepHandle is the DB's handle, or ErrClosed for a closed DB.
func (db *DB) upkeepHandle() (*handle, error) {
	h, err := db.handle()
	if err != nil {
		return nil, err
	}
	if h.be.isClosed() {
		return nil, ErrClosed
	}
	return h, nil
}

func (b *nativeBackend) closeIdle(ctx context.Context) error {
	b.pool.CloseIdle(ctx)
	return nil
}

func (b *nativeBackend) closeStale(ctx context.Context, age time.Duration) error {
	b.pool.CloseStale(ctx, time.Now().Add(-age))
	return nil
}

func (b *nativeBackend) resetPool(ctx context.Context) error {
	b.pool.Reset(ctx)
	return nil
}

func (b *nativeBackend) isClosed() bool { return b.lent.isClosed() }
func (b *sqlBackend) isClosed() bool    { return b.lent.isClosed() }
