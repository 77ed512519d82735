package conn

import (
	"context"
	"sync"
)

// inflight counts the connections a backend has lent out (to a statement, a result set being
// read or a pinned session), so that Close can refuse new work and wait, bounded, for the lent
// ones to come back before closing the pool. database/sql's own Close does not wait.
type inflight struct {
	mu     sync.Mutex
	n      int
	closed bool
	// retired: a re-Init or Uninit replaced the handle (retire); onIdle, set while
	// connections are still lent out, closes the pool when the last comes back.
	retired bool
	onIdle  func()
	// changed is closed, and cleared, by the next leave: a waiter in drain takes it, then
	// looks at n again.
	changed chan struct{}
	// slots, set when the pool has an acquire timeout (and a limit), is taken by each lease
	// (slots.go) and given back by leave.
	slots *slots
}

// enter records one more connection lent out, or reports ErrClosed (errRetired when the
// handle was replaced, so that the caller can run on the DB's new one).
func (f *inflight) enter() error {
	f.mu.Lock()
	if f.closed {
		retired := f.retired
		f.mu.Unlock()
		if retired {
			return errRetired
		}
		return ErrClosed
	}
	f.n++
	f.mu.Unlock()
	return nil
}

// leave records a connection given back to the pool (after it is back, so that the next
// lease finds it idle), with its slot, and closes a retired pool when it was the last.
func (f *inflight) leave() {
	f.slots.give()
	f.done()
}

// abandon undoes an enter whose lease failed: there is no connection and no slot to give
// back.
func (f *inflight) abandon() { f.done() }

func (f *inflight) done() {
	f.mu.Lock()
	f.n--
	if f.changed != nil {
		close(f.changed)
		f.changed = nil
	}
	var closePool func()
	if f.n == 0 && f.onIdle != nil {
		closePool, f.onIdle = f.onIdle, nil
	}
	f.mu.Unlock()
	if closePool != nil {
		closePool()
	}
}

// retire refuses new work from now on and runs closePool once nothing is lent out: at once, or
// when the last connection comes back (in the goroutine that gives it back). A pool closed
// already (Close) is left to that close.
func (f *inflight) retire(closePool func()) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed, f.retired = true, true
	if f.n > 0 {
		f.onIdle = closePool
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	closePool()
}

// close refuses new work from now on and reports whether this call was the first close.
func (f *inflight) close() (first bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	first = !f.closed
	f.closed = true
	return first
}

// isClosed reports whether close or retire has run.
func (f *inflight) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// drain waits until at most keep connections are lent out, or ctx ends, and returns how many
// are lent out then.
func (f *inflight) drain(ctx context.Context, keep int) int {
	for {
		f.mu.Lock()
		n := f.n
		if n <= keep {
			f.mu.Unlock()
			return n
		}
		if f.changed == nil {
			f.changed = make(chan struct{})
		}
		changed := f.changed
		f.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			f.mu.Lock()
			n = f.n
			f.mu.Unlock()
			return n
		}
	}
}
