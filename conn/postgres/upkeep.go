package postgres

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/internal/engine"
)

// upkeep is conn's CloseIdle, CloseStale and Reset on pgxpool. pgxpool closes idle
// connections for their age or idle time on its own schedule, and its Reset closes them all;
// closing some of them now, and counting what was closed, needs a date on each connection
// (its CustomData, set as it connects) and a look at each connection as it comes back.
type upkeep struct {
	// active is set by the first CloseStale or Reset: until then no connection is condemned
	// and releasing one costs a single atomic load.
	active atomic.Bool
	// resets counts Reset calls: a connection made before the last one is condemned.
	resets atomic.Uint64
	// staleBefore (Unix nanoseconds) condemns the connections made before it.
	staleBefore atomic.Int64

	closedIdle, closedStale, closedReset atomic.Int64
}

// bornKey keys a connection's born in its CustomData.
const bornKey = "typedsql.born"

// born is when a connection was made, and after how many Resets.
type born struct {
	at     int64 // Unix nanoseconds
	resets uint64
}

// markBorn dates a new connection (pgxpool's AfterConnect).
func (u *upkeep) markBorn(c *pgx.Conn) {
	c.PgConn().CustomData()[bornKey] = born{at: time.Now().UnixNano(), resets: u.resets.Load()}
}

// condemned reports whether c is to be closed, counting it as closed when it is (the caller
// closes it). A connection without a date (of a pool the caller made, FromPool) is taken as
// made before any Reset or cutoff.
func (u *upkeep) condemned(c *pgx.Conn) bool {
	if !u.active.Load() {
		return false
	}
	b, dated := c.PgConn().CustomData()[bornKey].(born)
	switch {
	case !dated && u.resets.Load() > 0, dated && b.resets < u.resets.Load():
		u.closedReset.Add(1)
		return true
	case !dated && u.staleBefore.Load() > 0, dated && b.at < u.staleBefore.Load():
		u.closedStale.Add(1)
		return true
	}
	return false
}

// Release gives a leased connection back, or closes it when it was condemned: a connection in
// use is closed when it comes back, never under its user. Closing it frees its place in the
// pool, so a caller waiting for one gets a new connection.
func (b *pool) Release(l engine.Lease) {
	c := l.(*pgxpool.Conn)
	if b.up.condemned(c.Conn()) {
		closeHijacked(c.Hijack())
		return
	}
	c.Release()
}

// closeHijacked closes a connection taken out of the pool, bounded by discardTimeout.
func closeHijacked(c *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), discardTimeout)
	_ = c.Close(ctx)
	cancel()
}

// CloseIdle closes the connections idle in the pool now.
func (b *pool) CloseIdle(ctx context.Context) {
	for _, c := range b.p.AcquireAllIdle(ctx) {
		b.up.closedIdle.Add(1)
		closeHijacked(c.Hijack())
	}
}

// CloseStale condemns the connections made before cutoff (an earlier call's later cutoff
// stays) and closes the idle ones now.
func (b *pool) CloseStale(ctx context.Context, cutoff time.Time) {
	c := cutoff.UnixNano()
	for {
		old := b.up.staleBefore.Load()
		if c <= old || b.up.staleBefore.CompareAndSwap(old, c) {
			break
		}
	}
	b.up.active.Store(true)
	b.sweep(ctx)
}

// Reset condemns every connection made so far and closes the idle ones now.
func (b *pool) Reset(ctx context.Context) {
	b.up.resets.Add(1)
	b.up.active.Store(true)
	b.sweep(ctx)
}

// sweep takes every idle connection out of the pool and gives it back through Release, which
// closes the condemned ones.
func (b *pool) sweep(ctx context.Context) {
	for _, c := range b.p.AcquireAllIdle(ctx) {
		b.Release(c)
	}
}
