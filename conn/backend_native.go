package conn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/internal/engine"
)

// nativeBackend runs an engine that brings its own pool (PostgreSQL on pgxpool, registered by
// conn/postgres) behind the backend interface: conn counts what it lends, bounds the wait for
// a connection, and leaves the driver to the engine.
type nativeBackend struct {
	pool           engine.Pool
	rr             engine.RowsReader // pool.Reader()
	acquireTimeout time.Duration
	minConns       int
	owned          bool // Close closes the pool only when conn opened it
	lent           inflight
}

// lease borrows a connection. The caller has entered b.lent, and on an error abandons it.
//
// Only the wait for one of the pool's MaxConns slots is bounded by the acquire timeout
// (slots.go); pgxpool then lends an idle connection or opens one, which the connect timeout
// bounds (and the caller's context: pgxpool returns at once when it ends, and finishes the
// connect in the background). On a pool the caller made, other code may hold connections
// conn does not count: when the pool is full as the lease begins, the acquire timeout bounds
// the lease too (see poolFull).
func (b *nativeBackend) lease(ctx context.Context) (engine.Lease, error) {
	s := b.lent.slots
	if err := s.take(ctx); err != nil {
		return nil, err
	}
	if !b.owned && s != nil && b.poolFull() {
		actx, cancel := context.WithTimeout(ctx, b.acquireTimeout)
		l, err := b.pool.Lease(actx)
		cancel()
		if err != nil {
			s.give()
			return nil, acquireError(ctx, err, b.acquireTimeout, b.pool.MaxConns())
		}
		return l, nil
	}
	l, err := b.pool.Lease(ctx)
	if err != nil {
		s.give()
		return nil, leaseError(ctx, err)
	}
	return l, nil
}

// poolFull reports whether every connection of a pool the caller made is in use (by anyone).
func (b *nativeBackend) poolFull() bool {
	st := b.pool.Stats()
	return st.InUse >= st.MaxConns
}

func (b *nativeBackend) exec(ctx context.Context, sql string, args []any) (Result, error) {
	if err := b.lent.enter(); err != nil {
		return Result{}, err
	}
	l, err := b.lease(ctx)
	if err != nil {
		b.lent.abandon()
		return Result{}, err
	}
	defer b.lent.leave()    // second: with the connection back, its slot
	defer b.pool.Release(l) // first
	n, err := b.pool.Exec(ctx, l, sql, args)
	return Result{RowsAffected: n}, err
}

func (b *nativeBackend) query(ctx context.Context, sql string, args []any, into *driverRows) error {
	if err := b.lent.enter(); err != nil {
		return err
	}
	l, err := b.lease(ctx)
	if err != nil {
		b.lent.abandon()
		return err
	}
	r, err := b.pool.Query(ctx, l, sql, args)
	if err != nil {
		b.pool.Release(l)
		b.lent.leave()
		return err
	}
	*into = driverRows{nat: r, natr: b.rr, natl: l, natp: b.pool, lent: &b.lent}
	return nil
}

func (b *nativeBackend) acquire(ctx context.Context) (session, error) {
	if err := b.lent.enter(); err != nil {
		return nil, err
	}
	l, err := b.lease(ctx)
	if err != nil {
		b.lent.abandon()
		return nil, err
	}
	p := b.pool.Pin(l)
	p.Reader, p.Lent = b.rr, &b.lent
	return (*nativeSession)(p), nil
}

// ping is Connect's check: see warm.
func (b *nativeBackend) ping(ctx context.Context) error {
	return warm(ctx, b.minConns, b.acquire, func(ctx context.Context, s session) error {
		return s.ping(ctx)
	})
}

func (b *nativeBackend) safeToRetry(err error) bool { return b.pool.SafeToRetry(err) }

func (b *nativeBackend) stats() PoolStats {
	st := PoolStats(b.pool.Stats())
	b.lent.slots.addWaits(&st)
	return st
}

// close refuses new statements, waits for the lent connections to come back, then closes the
// pool if conn opened it.
func (b *nativeBackend) close(ctx context.Context, keep int) (int, error) {
	first := b.lent.close()
	inUse := b.lent.drain(ctx, keep)
	if first && b.owned {
		b.pool.Close(inUse)
	}
	return inUse, nil
}

// retire: see backend.
func (b *nativeBackend) retire() {
	b.lent.retire(func() {
		if b.owned {
			b.pool.Close(0)
		}
	})
}

// nativeSession is one connection pinned out of a native pool: the engine.Pinned inside the
// engine's session (so that pinning allocates once), with Lent the backend's *inflight until
// release.
type nativeSession engine.Pinned

func (s *nativeSession) exec(ctx context.Context, sql string, args []any) (Result, error) {
	n, err := s.Session.Exec(ctx, sql, args)
	return Result{RowsAffected: n}, err
}

func (s *nativeSession) query(ctx context.Context, sql string, args []any, into *driverRows) error {
	r, err := s.Session.Query(ctx, sql, args)
	if err != nil {
		return err
	}
	*into = driverRows{nat: r, natr: s.Reader}
	return nil
}

func (s *nativeSession) inTx() bool { return s.Session.InTx() }

// seesTx: a native driver reads the transaction status the server reports.
func (s *nativeSession) seesTx() bool { return true }

// endBlindTx is never needed: the driver sees the transaction, and release discards a
// connection still inside one.
func (s *nativeSession) endBlindTx(context.Context) bool { return !s.Session.InTx() }

func (s *nativeSession) ping(ctx context.Context) error { return s.Session.Ping(ctx) }

// stillInTx tells without a round trip: the driver knows the status from the server's last
// message.
func (s *nativeSession) stillInTx(context.Context, dialect.Dialect) (bool, error) {
	if s.Session.Closed() {
		return false, errors.New("conn: connection closed")
	}
	return s.Session.InTx(), nil
}

func (s *nativeSession) aborted() bool { return s.Session.Aborted() }

func (s *nativeSession) closed() bool { return s.Session.Closed() }

func (s *nativeSession) writeQueue() *sessionQueue { return nil }

func (s *nativeSession) release(discard bool) {
	s.Session.Release(discard)
	if lent, _ := s.Lent.(*inflight); lent != nil {
		lent.leave()
		s.Lent = nil
	}
}

// WithFresh lends the engine a fresh connection of the handle's pool (engine.Fresh), to ask
// the server what became of a COMMIT whose reply was lost.
func (h *handle) WithFresh(ctx context.Context, fn func(engine.Session) error) error {
	s, err := h.freshSession(ctx)
	if err != nil {
		return err
	}
	ns, ok := s.(*nativeSession)
	if !ok {
		s.release(false)
		return errors.New("the pool lent a connection that is not the engine's")
	}
	err = fn(ns.Session)
	s.release(err != nil)
	return err
}

// openNative opens the pool of the native engine registered for the adapter.
func openNative(ctx context.Context, r Config) (backend, error) {
	eng, err := engineFor(r.Adapter)
	if err != nil {
		return nil, err
	}
	if eng.Open == nil {
		return nil, fmt.Errorf("conn: the %s engine brings no pool of its own", r.Adapter)
	}
	var init func(context.Context, engine.Execer) error
	if hooks := r.OnConnect; len(hooks) > 0 {
		init = func(ctx context.Context, c engine.Execer) error { return runInit(ctx, hooks, c) }
	}
	p := r.Pool
	pool, err := eng.Open(ctx, engine.Settings{
		Host: r.Host, Port: r.Port, User: r.User, Password: r.Password, Database: r.Database,
		ConnectTimeout: durationOr(r.ConnectTimeout, defaultConnectTimeout), DriverArgs: r.DriverArgs,
	}, engine.PoolSettings{
		MaxConns: p.MaxConns, MinConns: p.MinConns,
		MaxLifetime:       durationOr(p.MaxLifetime, defaultMaxLifetime),
		MaxIdleTime:       durationOr(p.MaxIdleTime, defaultMaxIdleTime),
		HealthCheckPeriod: time.Duration(p.HealthCheckPeriod),
	}, init)
	if err != nil {
		return nil, fmt.Errorf("conn: %s: %w", config.RedactedURL(r), redactErr(err, config.Secrets(r)...))
	}
	b := &nativeBackend{
		pool:           pool,
		rr:             pool.Reader(),
		acquireTimeout: time.Duration(p.AcquireTimeout),
		minConns:       p.MinConns,
		owned:          true,
	}
	b.lent.slots = newSlots(p.MaxConns, b.acquireTimeout)
	return b, nil
}

func init() { engine.WrapPool = wrapNative }

// wrapNative is engine.WrapPool: a DB on a native pool the caller made and keeps owning. Its
// own settings (size, lifetimes, init hooks) stay as the caller made them; of the options,
// the pool's AcquireTimeout and the logging and tracing options apply.
func wrapNative(adapter string, p engine.Pool, s engine.Settings, maxConns int, opts any) (any, error) {
	o, _ := opts.([]Option)
	cfg := Config{Adapter: adapter, Host: s.Host, Port: s.Port, User: s.User, Password: s.Password, Database: s.Database}
	r, err := wrapConfig(cfg, o)
	if err != nil {
		return nil, err
	}
	r.Pool.MaxConns = maxConns
	be := &nativeBackend{pool: p, rr: p.Reader(), acquireTimeout: time.Duration(r.Pool.AcquireTimeout)}
	be.lent.slots = newSlots(maxConns, be.acquireTimeout)
	return newDB(r, be), nil
}
