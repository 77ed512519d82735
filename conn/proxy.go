package conn

import (
	"errors"
	"sync"
)

// Proxy is a DB whose database is chosen, and may be changed, at run time: code holds the
// proxy's DB from the start, and Set points it at a real DB later (peewee's Proxy). Use it
// when the engine itself differs by environment (SQLite in tests, PostgreSQL in production);
// when only the URL differs, a Deferred DB and Init are simpler.
//
//	var dbProxy = conn.NewProxy(nil)
//	var db = dbProxy.DB // statements fail with ErrNotInitialized until Set
//
//	func main() {
//		prod, err := conn.Open(ctx, os.Getenv("DATABASE_URL"))
//		...
//		dbProxy.Set(prod)
//	}
//
// Set is safe while other goroutines make statements: each statement reads the target once,
// when it starts, and finishes there; a WithConn or Atomic block keeps the target it began
// on until it ends. Set does not close the old target; close it (Close waits for the
// statements running on it) when nothing needs it, for example in an OnSwap callback.
//
// The proxy's DB is a DB of its own: blocks begun on the target DB do not carry over to
// statements made through the proxy, and Close on the proxy's DB closes its current target.
type Proxy struct {
	// DB is the handle to use everywhere a *DB is needed; it follows the proxy's target.
	*DB

	mu     sync.Mutex
	target *DB
	onSwap []func(old, new *DB)
}

// NewProxy returns a proxy pointing at target, or at nothing when target is nil.
func NewProxy(target *DB) *Proxy {
	p := &Proxy{DB: &DB{}}
	p.DB.proxy = p
	if target != nil {
		// A target that cannot be set now is reported by Set; NewProxy has no error to return
		// it with, so the proxy starts empty and statements say ErrNotInitialized.
		_, _ = p.Set(target)
	}
	return p
}

// Set points the proxy at target and returns the previous target (nil if there was none).
// target must be initialised and must not be a proxy's DB; Set(nil) detaches the proxy, so
// that statements fail with ErrNotInitialized again. The OnSwap callbacks run before Set
// returns, in registration order, while the proxy's lock is held: they see swaps in the
// order they happened, and must not call Set or OnSwap themselves.
func (p *Proxy) Set(target *DB) (old *DB, err error) {
	var h *handle
	if target != nil {
		if target.proxy != nil {
			return nil, errors.New("conn: Proxy.Set: the target is itself a proxy's DB; set this proxy to that proxy's target instead")
		}
		if h, err = target.handle(); err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	old = p.target
	p.target = target
	p.DB.h.Store(h)
	for _, fn := range p.onSwap {
		fn(old, target)
	}
	return old, nil
}

// Target returns the DB the proxy points at, or nil.
func (p *Proxy) Target() *DB {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.target
}

// OnSwap registers fn to run on every later Set with the old and the new target (either may
// be nil), for example to close the old database or to reset caches keyed by it. Set waits for
// the callbacks: closing the old target there (Close waits for the statements running on it)
// holds Set up until they finish, so start it in a goroutine when Set must be quick.
func (p *Proxy) OnSwap(fn func(old, new *DB)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onSwap = append(p.onSwap, fn)
}
