package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/typedsql/typedsql/conn"
)

// ErrNoReplica: a read found no usable replica and the fallback policy did not send it to
// the primary (FallbackFail, or FallbackRate exceeded).
var ErrNoReplica = errors.New("replica: no usable replica")

// A Set is a primary with its read replicas. Its DB is used exactly like a *conn.DB, by
// conn.All, One, Each, Scalar, Exec, Atomic, WithConn, Using and the HTTP middleware, and
// routes every statement by what it is:
//
//	set, err := replica.New(primary, []*conn.DB{standby1, standby2}, replica.Options{MaxLag: time.Second})
//	defer set.Close()
//	users, err := conn.All[User](ctx, set.DB, builder.Select(Users.ID, Users.Name).From(Users))
//	// SELECT "id", "name" FROM "users"                         -> a replica, round-robin
//	_, err = set.Exec(ctx, builder.InsertInto(Users).Values(Users.Name.Set("ann")))
//	// INSERT INTO "users" ("name") VALUES ($1)                 -> the primary
//	// SELECT ... FOR UPDATE, conn.SQL text, anything in Atomic -> the primary
//
// A builder SELECT (or set operation) without a locking clause or a writing WITH, and SQL text
// marked with conn.ReadOnly, go to a usable replica; every other statement, and every
// statement inside an Atomic block, WithConn or the transaction middleware, goes to the
// primary. OnPrimary sends a context's reads to the primary too, and Track gives a context
// read-your-writes.
type Set struct {
	// DB is the routed handle: the primary's pool, asking the set for every statement.
	*conn.DB

	// primary is the DB writes go to: a proxy's DB, pointed at the primary New got (given)
	// and re-pointed by rediscovery when a replica has been promoted (failover.go).
	primary *conn.DB
	proxy   *conn.Proxy
	given   *conn.DB
	nodes   []*node
	redisc  sync.Mutex
	eng     engine
	opts    Options
	log     *slog.Logger

	rr       atomic.Uint64
	fallback limiter

	// samples of the primary's position over time, for lag (health.go).
	mu      sync.Mutex
	samples []sample

	kick chan struct{}
	stop chan struct{}
	done sync.WaitGroup
	once sync.Once
}

// node is one replica and what the health checks know of it. The atomics are read by every
// routed read; the rest belongs to the health loop.
type node struct {
	db     *conn.DB
	name   string
	usable atomic.Bool
	lag    atomic.Int64 // nanoseconds
	replay atomic.Pointer[Position]

	good int    // health checks passed in a row since it was out
	why  string // why it is out, "" while usable
	// cause is why without its changing figures (see takeOut)
	cause string
}

// New makes a set of a primary and its replicas, opened by the caller (conn.Open) on the same
// engine, PostgreSQL or MariaDB; the set's Close closes them. Every replica starts usable, and
// a health check of each runs before New returns, so one that is down or not a replica takes
// no reads. The health checks then run every Options.HealthInterval until Close.
func New(primary *conn.DB, replicas []*conn.DB, opts Options) (*Set, error) {
	if primary == nil || len(replicas) == 0 {
		return nil, errors.New("replica: New needs a primary and at least one replica")
	}
	eng, err := engineOf(primary)
	if err != nil {
		return nil, err
	}
	for _, r := range replicas {
		e, err := engineOf(r)
		if err != nil {
			return nil, err
		}
		if e != eng {
			return nil, fmt.Errorf("replica: %v and its replica %v are not the same engine", primary, r)
		}
	}
	opts = opts.withDefaults()
	proxy := conn.NewProxy(nil)
	if _, err := proxy.Set(primary); err != nil {
		return nil, fmt.Errorf("replica: the primary: %w", err)
	}
	s := &Set{
		primary: proxy.DB, proxy: proxy, given: primary, eng: eng, opts: opts, log: opts.logger(),
		kick: make(chan struct{}, 1), stop: make(chan struct{}),
	}
	s.fallback.init(opts.FallbackRate)
	for _, r := range replicas {
		n := &node{db: r, name: r.String()}
		n.usable.Store(true)
		n.replay.Store(&Position{})
		s.nodes = append(s.nodes, n)
	}
	s.DB = proxy.DB.Routed(router{s})
	ctx, cancel := context.WithTimeout(context.Background(), max(opts.HealthInterval, 2*time.Second))
	s.check(ctx)
	cancel()
	s.done.Add(1)
	go s.healthLoop()
	return s, nil
}

// Primary is the DB writes go to now: the primary New got, or the replica found promoted
// after a failover. Statements made on it are never routed.
func (s *Set) Primary() *conn.DB { return s.proxy.Target() }

// Replicas are the replicas' own DBs, in the order New got them.
func (s *Set) Replicas() []*conn.DB {
	out := make([]*conn.DB, len(s.nodes))
	for i, n := range s.nodes {
		out[i] = n.db
	}
	return out
}

// Close stops the health checks and closes the replicas and the primary.
func (s *Set) Close() error {
	s.once.Do(func() { close(s.stop) })
	s.done.Wait()
	var errs []error
	for _, n := range s.nodes {
		errs = append(errs, n.db.Close())
	}
	return errors.Join(append(errs, s.given.Close())...)
}

type onPrimaryKey struct{}

// OnPrimary returns a context whose statements on a set all go to the primary, reads too: the
// per-call override for a read that must see the latest data.
//
//	n, err := conn.Scalar[int64](replica.OnPrimary(ctx), set.DB, builder.Select(expr.Count(Users.ID)).From(Users))
//	// SELECT COUNT("id") FROM "users" -> the primary
func OnPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, onPrimaryKey{}, true)
}

// router is the set as its DB's conn.Rerouter and conn.Finisher; the Set itself keeps the DB's own Route
// (where a statement would go).
type router struct{ s *Set }

func (r router) Route(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
	return r.s.route(ctx, db, stmt)
}

func (r router) Reroute(ctx context.Context, db *conn.DB, stmt conn.Statement, failed *conn.DB, err error) (*conn.DB, error) {
	return r.s.reroute(ctx, stmt, failed, err)
}

// Finished marks a write that has finished, failed or not (it may have written), once more
// for read-your-writes: a position resolved while it ran may not cover it (see tracker).
func (r router) Finished(ctx context.Context, db *conn.DB, stmt conn.Statement, err error) {
	if !conn.IsRead(stmt) {
		noteWrite(ctx, stmt, false)
	}
}

// Settled marks the writes of a block (Atomic, WithConn, a Session) once more for
// read-your-writes when its work has been committed or rolled back: they land at its COMMIT.
func (r router) Settled(ctx context.Context, db *conn.DB) { noteSettled(ctx) }

// route chooses the server of a statement made on the set's DB (see Set).
func (s *Set) route(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
	if pinned := db.Pinned(ctx); pinned || !conn.IsRead(stmt) {
		noteWrite(ctx, stmt, pinned) // a block may write; read-your-writes counts it as a write
		return s.primary, nil
	}
	if on, _ := ctx.Value(onPrimaryKey{}).(bool); on {
		return s.primary, nil
	}
	return s.read(ctx, stmt)
}

// read chooses the server for a read: a usable replica in policy order that has replayed the
// context's read-your-writes position, or one that does within the wait, or the primary.
func (s *Set) read(ctx context.Context, stmt conn.Statement) (*conn.DB, error) {
	need, ok := s.needed(ctx, stmt)
	if !ok {
		return s.primary, nil // the session's position is unknown: only the primary has it
	}
	var buf [8]*node
	cands := s.candidates(buf[:0])
	if len(cands) == 0 {
		return s.fallbackRead()
	}
	for _, n := range cands {
		if need.IsZero() || n.replay.Load().Covers(need) {
			s.logRoute(ctx, n)
			return n.db, nil
		}
	}
	if s.opts.ReadYourWritesWait > 0 {
		n := furthest(cands)
		wctx, cancel := context.WithTimeout(ctx, s.opts.ReadYourWritesWait)
		ok, err := s.eng.wait(wctx, n.db, need)
		cancel()
		if err == nil && ok {
			n.sawReplay(need)
			s.logRoute(ctx, n)
			return n.db, nil
		}
	}
	s.logTo(ctx, "primary", "read-your-writes: no replica has replayed "+need.String())
	return s.primary, nil
}

// furthest is the candidate that has replayed the most, as far as the set knows: the one
// likeliest to reach a position first.
func furthest(cands []*node) *node {
	best := cands[0]
	for _, n := range cands[1:] {
		if p, b := n.replay.Load(), best.replay.Load(); p.Covers(*b) && !b.Covers(*p) {
			best = n
		}
	}
	return best
}

// candidates appends the usable replicas in the policy's order.
func (s *Set) candidates(out []*node) []*node {
	k := len(s.nodes)
	start := 0
	switch s.opts.Policy {
	case Random:
		start = rand.IntN(k)
	default:
		start = int(s.rr.Add(1)-1) % k
	}
	for i := range k {
		if n := s.nodes[(start+i)%k]; n.usable.Load() {
			out = append(out, n)
		}
	}
	if s.opts.Policy == LeastLag && len(out) > 1 {
		best := 0
		for i, n := range out {
			if n.lag.Load() < out[best].lag.Load() {
				best = i
			}
		}
		out[0], out[best] = out[best], out[0]
	}
	return out
}

func (s *Set) fallbackRead() (*conn.DB, error) {
	if s.opts.Fallback == FallbackFail {
		return nil, fmt.Errorf("%w (%d replicas, all out; Fallback is FallbackFail)", ErrNoReplica, len(s.nodes))
	}
	if !s.fallback.allow() {
		return nil, fmt.Errorf("%w: every replica is out and the primary's fallback budget (%g reads a second) is spent", ErrNoReplica, s.opts.FallbackRate)
	}
	return s.primary, nil
}

// reroute is the second chance conn gives a statement that failed outside a block: a read that failed on a replica (down, connection lost)
// takes the replica out and runs once more on another usable replica or by the fallback
// policy; a write that found the primary read-only (a failover: conn has closed the idle
// connections) runs once more on the primary's DB, whose new connections find the new
// primary when its URL lists every host with target_session_attrs=read-write.
func (s *Set) reroute(ctx context.Context, stmt conn.Statement, failed *conn.DB, err error) (*conn.DB, error) {
	if errors.Is(err, conn.ErrReadOnly) && failed == s.primary {
		s.log.Warn("replica: the primary refused a write as read-only; running it once more on new connections", "primary", s.Primary(), "error", err)
		s.rediscover(ctx)
		return s.primary, nil
	}
	if !conn.IsRead(stmt) {
		if failed == s.primary {
			s.kickHealth() // the primary may be down: the health loop looks for a promoted replica
		}
		return nil, nil
	}
	for _, n := range s.nodes {
		if n.db == failed {
			s.takeOut(n, "a read failed on it", "a read failed on it: "+err.Error())
			s.kickHealth()
			return s.read(ctx, stmt)
		}
	}
	return nil, nil
}

func (s *Set) logRoute(ctx context.Context, n *node) {
	if s.log.Enabled(ctx, slog.LevelDebug) {
		s.log.LogAttrs(ctx, slog.LevelDebug, "replica: read routed", slog.String("server", n.name),
			slog.Duration("lag", time.Duration(n.lag.Load())))
	}
}

func (s *Set) logTo(ctx context.Context, server, why string) {
	if s.log.Enabled(ctx, slog.LevelDebug) {
		s.log.LogAttrs(ctx, slog.LevelDebug, "replica: read routed", slog.String("server", server), slog.String("why", why))
	}
}

// limiter is a token bucket of rate tokens a second, rate at most in the bucket; a rate of 0
// allows everything.
type limiter struct {
	mu     sync.Mutex
	rate   float64
	tokens float64
	last   time.Time
}

func (l *limiter) init(rate float64) { l.rate, l.tokens, l.last = rate, max(rate, 1), time.Now() }

func (l *limiter) allow() bool {
	if l.rate <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.tokens = min(max(l.rate, 1), l.tokens+now.Sub(l.last).Seconds()*l.rate)
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}
