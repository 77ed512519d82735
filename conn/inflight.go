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
	// changed is closed, and cleared, by the next leave: a waiter in drain takes it, then
	// looks at n again.
	changed chan struct{}
}

// enter records one more connection lent out, or reports ErrClosed.
func (f *inflight) enter() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return ErrClosed
	}
	f.n++
	f.mu.Unlock()
	return nil
}

// leave records a connection given back.
func (f *inflight) leave() {
	f.mu.Lock()
	f.n--
	if f.changed != nil {
		close(f.changed)
		f.changed = nil
	}
	f.mu.Unlock()
}

// close refuses new work from now on and reports whether this call was the first close.
func (f *inflight) close() (first bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	first = !f.closed
	f.closed = true
	return first
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
