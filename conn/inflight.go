package conn

import "sync"

// inflight counts the connections a backend has lent out (to a statement, a result set being
// read or a pinned session), so that Close can refuse new work and wait for the lent ones to
// come back before closing the pool. database/sql's own Close does not wait.
type inflight struct {
	mu     sync.Mutex
	n      int
	closed bool
	zero   chan struct{} // closed when n reaches 0 after close began
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
	if f.n == 0 && f.zero != nil {
		close(f.zero)
		f.zero = nil
	}
	f.mu.Unlock()
}

// close refuses new work and returns a channel closed once every lent connection is back,
// and whether this call was the first close.
func (f *inflight) close() (<-chan struct{}, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	first := !f.closed
	f.closed = true
	done := make(chan struct{})
	if f.n == 0 {
		close(done)
		return done, first
	}
	if f.zero == nil {
		f.zero = make(chan struct{})
	}
	return f.zero, first
}
