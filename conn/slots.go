package conn

import (
	"context"
	"sync/atomic"
	"time"
)

// slots times the wait for a free connection apart from opening one. Neither pgxpool nor
// database/sql can bound only the wait: a deadline on their acquire also cuts short the
// dialling of a new connection when the pool has room, which would then be reported as "no
// connection became free" although no one was waiting. So conn keeps one slot for each of the
// pool's MaxConns connections and a lease takes a slot before it borrows from the pool: only
// taking the slot waits for another caller (at most the acquire timeout, then
// AcquireTimeoutError), and the pool, never asked for more than MaxConns at once, then has an
// idle connection or room to open one, which the connect timeout bounds.
//
// A slot is held from the lease until the connection is back in the pool (inflight.leave), so
// the next holder finds it idle instead of opening another. On a pool the caller made
// (FromSQL, postgres.FromPool) the slots count the pool's MaxConns as it was when conn
// wrapped it and only conn's own leases; other code may hold the pool's connections too, so
// there a lease that finds the pool full is bounded by the acquire timeout as a whole.
type slots struct {
	ch       chan struct{} // one element per slot taken
	timeout  time.Duration // the acquire timeout
	maxConns int
	// waits and waited (nanoseconds) count the takes that found every slot taken, for
	// PoolStats.WaitCount and WaitDuration.
	waits  atomic.Int64
	waited atomic.Int64
}

// newSlots returns the slots of a pool of maxConns with an acquire timeout, or nil when there
// is no timeout to apply (the pool's own wait is then bounded by the caller's context only,
// and conn need not count).
func newSlots(maxConns int, timeout time.Duration) *slots {
	if timeout <= 0 || maxConns <= 0 {
		return nil
	}
	return &slots{ch: make(chan struct{}, maxConns), timeout: timeout, maxConns: maxConns}
}

// take takes a slot, waiting at most the acquire timeout while all are taken. The caller's
// context ending first is its own error, not ErrAcquireTimeout. A nil *slots takes nothing.
func (s *slots) take(ctx context.Context) error {
	if s == nil {
		return nil
	}
	select {
	case s.ch <- struct{}{}:
		return nil // a free slot: no timer, no allocation
	default:
	}
	return s.wait(ctx)
}

func (s *slots) wait(ctx context.Context) error {
	start := time.Now()
	t := time.NewTimer(s.timeout)
	defer func() {
		t.Stop()
		s.waits.Add(1)
		s.waited.Add(int64(time.Since(start)))
	}()
	// Blocked senders on a channel are served first come, first served.
	select {
	case s.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		if err := ctx.Err(); err != nil {
			return err // the caller's deadline came at the same moment: it wins
		}
		return &AcquireTimeoutError{Timeout: s.timeout, MaxConns: s.maxConns}
	}
}

// give gives back a slot taken. It never blocks: a give without a take would be a bug in the
// accounting, which must not hang the caller (slots_internal_test checks the count).
func (s *slots) give() {
	if s == nil {
		return
	}
	select {
	case <-s.ch:
	default:
	}
}

// held reports how many slots are taken.
func (s *slots) held() int {
	if s == nil {
		return 0
	}
	return len(s.ch)
}

// addWaits adds the waits for a slot to a pool's own counters.
func (s *slots) addWaits(st *PoolStats) {
	if s == nil {
		return
	}
	st.WaitCount += s.waits.Load()
	st.WaitDuration += time.Duration(s.waited.Load())
}
