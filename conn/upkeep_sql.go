package conn

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync/atomic"
	"time"
)

// connBook keeps what database/sql does not: when each physical connection of a pool conn
// opened was made, and which of them CloseStale or ResetPool has condemned. database/sql
// gives no hold on its idle connections, so a condemned connection is closed by database/sql
// itself, at the two points where it asks a driver connection whether it is still good:
// when it comes back (driver.Validator: a connection in use is closed when it is returned,
// never under its user, and a waiter on a full pool gets a new one) and when it is taken
// from the pool again (driver.SessionResetter: database/sql closes it and takes another).
type connBook struct {
	// resets counts ResetPool calls: a connection made before the last one is condemned.
	resets atomic.Uint64
	// staleBefore (Unix nanoseconds) condemns the connections made before it (CloseStale).
	staleBefore atomic.Int64
	// closedStale and closedReset count the connections closed for each.
	closedStale, closedReset atomic.Int64
}

// closeReason is why conn closes a connection of its own accord.
type closeReason uint8

const (
	reasonNone closeReason = iota
	reasonStale
	reasonReset
)

// verdict says whether a connection made at born, after generation resets, is condemned, and
// counts it as closed when it is (the caller closes it).
func (k *connBook) verdict(born time.Time, resets uint64) closeReason {
	switch {
	case resets < k.resets.Load():
		k.closedReset.Add(1)
		return reasonReset
	case born.UnixNano() < k.staleBefore.Load():
		k.closedStale.Add(1)
		return reasonStale
	}
	return reasonNone
}

// condemnOlder condemns the connections made before cutoff; an earlier, later cutoff stays.
func (k *connBook) condemnOlder(cutoff time.Time) {
	c := cutoff.UnixNano()
	for {
		old := k.staleBefore.Load()
		if c <= old || k.staleBefore.CompareAndSwap(old, c) {
			return
		}
	}
}

// trackedConn is a driver connection with its birth; passConn passes every optional
// interface database/sql looks for through to the driver's connection.
type trackedConn struct {
	passConn
	book   *connBook
	born   time.Time
	resets uint64
	// condemned is set once the connection was reported bad, so that it is counted once.
	condemned bool
}

func (c *trackedConn) good() bool {
	if c.condemned {
		return false
	}
	if c.book.verdict(c.born, c.resets) != reasonNone {
		c.condemned = true
		return false
	}
	return true
}

// IsValid is asked when the connection comes back to the pool: false closes it.
func (c *trackedConn) IsValid() bool { return c.good() && c.passConn.IsValid() }

// ResetSession is asked when the connection is taken from the pool again: driver.ErrBadConn
// closes it and database/sql takes another.
func (c *trackedConn) ResetSession(ctx context.Context) error {
	if !c.good() {
		return driver.ErrBadConn
	}
	return c.passConn.ResetSession(ctx)
}

// closeIdleSQL closes database/sql's idle connections (a limit of zero idle closes them) and
// restores the limit, and reports how many it closed.
func (b *sqlBackend) closeIdleSQL() int64 {
	before := b.db.Stats().MaxIdleClosed
	b.db.SetMaxIdleConns(0)
	b.db.SetMaxIdleConns(b.idleLimit())
	return b.db.Stats().MaxIdleClosed - before
}

// idleLimit is how many idle connections the pool keeps.
func (b *sqlBackend) idleLimit() int {
	n := b.maxConns
	if n <= 0 {
		n = 2 // database/sql's default
	}
	if b.keep != nil {
		n++ // the in-memory keeper has a slot of its own (open_sqlite.go)
	}
	return n
}

var errUpkeepForeign = errors.New("conn: a pool FromSQL wraps: conn did not open its connections and cannot tell their ages; close and reopen the *sql.DB instead")

func (b *sqlBackend) closeIdle(context.Context) error {
	b.closedIdle.Add(b.closeIdleSQL())
	return nil
}

// closeStale: connections in use are closed when they come back; idle ones when they are next
// taken from the pool (database/sql closes no single idle connection on request).
func (b *sqlBackend) closeStale(_ context.Context, age time.Duration) error {
	if b.connector == nil {
		return errUpkeepForeign
	}
	b.connector.book.condemnOlder(time.Now().Add(-age))
	return nil
}

func (b *sqlBackend) resetPool(context.Context) error {
	if b.connector == nil {
		return errUpkeepForeign
	}
	b.connector.book.resets.Add(1)
	b.connector.book.closedReset.Add(b.closeIdleSQL())
	return nil
}
