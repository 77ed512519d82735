package conn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync/atomic"
	"time"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/internal/engine"
)

// sqlBackend runs MySQL/MariaDB and SQLite (and any *sql.DB handed to FromSQL) through
// database/sql.
type sqlBackend struct {
	db             *sql.DB
	acquireTimeout time.Duration
	maxConns       int
	minConns       int
	owned          bool // Close closes db only when conn opened it
	// connector counts new physical connections; nil for a *sql.DB conn did not open.
	connector *initConnector
	// keep holds one connection open, outside the pool, for the life of the DB where the
	// data lives only as long as a connection does (an in-memory SQLite database).
	keep driver.Conn
	// setup is what every SQLite connection runs beyond its DSN (sqlite_setup.go); nil on
	// MySQL and for a pool FromSQL wraps.
	setup *sqliteSetup
	lent  inflight
	// closedIdle counts the connections CloseIdle closed (the others count in connector.book).
	closedIdle atomic.Int64
	// wq queues the writers of a SQLite database conn opened (sqlite_writequeue.go); nil on
	// MySQL and for a pool FromSQL wraps.
	wq *writeQueue
}

func newSQLBackend(db *sql.DB, r Config, c *initConnector) *sqlBackend {
	p := r.Pool
	db.SetMaxOpenConns(p.MaxConns)
	db.SetMaxIdleConns(p.MaxConns)
	db.SetConnMaxLifetime(durationOr(p.MaxLifetime, defaultMaxLifetime))
	db.SetConnMaxIdleTime(durationOr(p.MaxIdleTime, defaultMaxIdleTime))
	b := &sqlBackend{
		db:             db,
		acquireTimeout: time.Duration(p.AcquireTimeout),
		maxConns:       p.MaxConns,
		minConns:       p.MinConns,
		owned:          true,
		connector:      c,
	}
	b.lent.slots = newSlots(p.MaxConns, b.acquireTimeout)
	return b
}

// acquireConn borrows a connection. The caller has entered b.lent, and on an error abandons
// it.
//
// Only the wait for one of the pool's MaxConns slots is bounded by the acquire timeout
// (slots.go); database/sql then lends an idle connection or opens one, which the connect
// timeout bounds (initConnector.Connect). On a *sql.DB the caller opened, other code may hold
// connections conn does not count: when the pool is full as the borrow begins, the acquire
// timeout bounds the borrow too (see poolFull).
func (b *sqlBackend) acquireConn(ctx context.Context) (*sql.Conn, error) {
	s := b.lent.slots
	if err := s.take(ctx); err != nil {
		return nil, err
	}
	if !b.owned && s != nil && b.poolFull() {
		actx, cancel := context.WithTimeout(ctx, b.acquireTimeout)
		c, err := b.db.Conn(actx)
		cancel()
		if err != nil {
			s.give()
			return nil, acquireError(ctx, err, b.acquireTimeout, b.maxConns)
		}
		return c, nil
	}
	c, err := b.db.Conn(ctx)
	if err != nil {
		s.give()
		return nil, leaseError(ctx, err)
	}
	return c, nil
}

// poolFull reports whether every connection of a *sql.DB the caller opened is in use (by
// anyone).
func (b *sqlBackend) poolFull() bool {
	st := b.db.Stats()
	return st.MaxOpenConnections > 0 && st.InUse >= st.MaxOpenConnections
}

func (b *sqlBackend) exec(ctx context.Context, q string, args []any) (Result, error) {
	if err := b.lent.enter(); err != nil {
		return Result{}, err
	}
	queued := b.wq != nil && sqliteStatementKind(q) != sqliteRead
	if !queued && b.acquireTimeout <= 0 {
		defer b.lent.leave() // no slots without an acquire timeout
		return sqlResult(b.db.ExecContext(ctx, q, args...))
	}
	c, err := b.acquireConn(ctx)
	if err != nil {
		b.lent.abandon()
		return Result{}, err
	}
	defer b.lent.leave() // last: with the connection back, its slot
	defer c.Close()
	if queued {
		return b.execQueued(ctx, c, q, args)
	}
	return sqlResult(c.ExecContext(ctx, q, args...))
}

// execQueued runs a statement that may write a SQLite database in its turn: on a connection
// of its own first (c), then in the write queue, so that no writer ever holds the lock while
// it waits for the pool.
func (b *sqlBackend) execQueued(ctx context.Context, c *sql.Conn, q string, args []any) (Result, error) {
	if err := b.wq.lock(ctx); err != nil {
		return Result{}, err
	}
	defer b.wq.unlock()
	return sqlResult(c.ExecContext(ctx, q, args...))
}

func (b *sqlBackend) query(ctx context.Context, q string, args []any, into *driverRows) error {
	if err := b.lent.enter(); err != nil {
		return err
	}
	queued := b.wq != nil && sqliteStatementKind(q) != sqliteRead
	if !queued && b.acquireTimeout <= 0 {
		r, err := b.db.QueryContext(ctx, q, args...)
		if err != nil {
			b.lent.leave() // no slots without an acquire timeout
			return err
		}
		*into = driverRows{sql: r, lent: &b.lent}
		return nil
	}
	c, err := b.acquireConn(ctx)
	if err != nil {
		b.lent.abandon()
		return err
	}
	if queued {
		return b.queryQueued(ctx, c, q, args, into)
	}
	r, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		c.Close()
		b.lent.leave()
		return err
	}
	*into = driverRows{sql: r, sqc: c, lent: &b.lent}
	return nil
}

// queryQueued is execQueued for a statement with a result set (INSERT ... RETURNING): the
// result holds the write lock until it is closed. The caller has entered b.lent and borrowed
// c.
func (b *sqlBackend) queryQueued(ctx context.Context, c *sql.Conn, q string, args []any, into *driverRows) error {
	if err := b.wq.lock(ctx); err != nil {
		c.Close()
		b.lent.leave()
		return err
	}
	r, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		b.wq.unlock()
		c.Close()
		b.lent.leave()
		return err
	}
	*into = driverRows{sql: r, sqc: c, lent: &b.lent, wq: b.wq}
	return nil
}

func (b *sqlBackend) acquire(ctx context.Context) (session, error) {
	if err := b.lent.enter(); err != nil {
		return nil, err
	}
	c, err := b.acquireConn(ctx)
	if err != nil {
		b.lent.abandon()
		return nil, err
	}
	return &sqlSession{c: c, lent: &b.lent, queue: sessionQueue{q: b.wq}}, nil
}

// ping is Connect's check: see warm.
func (b *sqlBackend) ping(ctx context.Context) error {
	return warm(ctx, b.minConns, b.acquire, func(ctx context.Context, s session) error {
		return s.ping(ctx)
	})
}

func (b *sqlBackend) stats() PoolStats {
	s := b.db.Stats()
	st := PoolStats{
		MaxConns:      s.MaxOpenConnections,
		TotalConns:    s.OpenConnections,
		InUse:         s.InUse,
		Idle:          s.Idle,
		WaitCount:     s.WaitCount,
		WaitDuration:  s.WaitDuration,
		LifetimeClose: s.MaxLifetimeClosed,
		IdleClose:     s.MaxIdleTimeClosed,
	}
	b.lent.slots.addWaits(&st)
	st.ClosedByCloseIdle = b.closedIdle.Load()
	if b.connector != nil {
		st.ClosedByCloseStale = b.connector.book.closedStale.Load()
		st.ClosedByResetPool = b.connector.book.closedReset.Load()
		st.NewConns = b.connector.newConns.Load()
	}
	return st
}

// close refuses new statements, waits for the lent connections to come back (database/sql's
// Close would not), then closes the pool if conn opened it. database/sql closes a connection
// still in use when it comes back.
func (b *sqlBackend) close(ctx context.Context, keep int) (int, error) {
	first := b.lent.close()
	inUse := b.lent.drain(ctx, keep)
	if !first || !b.owned {
		return inUse, nil
	}
	return inUse, b.closePool()
}

// retire: see backend.
func (b *sqlBackend) retire() {
	b.lent.retire(func() {
		if b.owned {
			_ = b.closePool()
		}
	})
}

// closePool closes the database/sql pool conn opened, the in-memory keeper (outside the pool,
// after it) and the SQLite file's entry.
func (b *sqlBackend) closePool() error {
	err := b.db.Close()
	if b.keep != nil {
		err = errors.Join(err, b.keep.Close())
	}
	if b.wq != nil {
		closeSQLiteFile(b.wq.f)
	}
	return err
}

func sqlResult(r sql.Result, err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	var res Result
	res.RowsAffected, _ = r.RowsAffected()
	res.LastInsertID, _ = r.LastInsertId()
	return res, nil
}

// sqlSession is one connection taken out of a database/sql pool.
type sqlSession struct {
	c    *sql.Conn
	lent *inflight
	// queue is the connection's place in a SQLite file's write queue.
	queue sessionQueue
}

func (s *sqlSession) exec(ctx context.Context, q string, args []any) (Result, error) {
	kind, held, err := s.queue.before(ctx, q)
	if err != nil {
		return Result{}, err
	}
	res, err := sqlResult(s.c.ExecContext(ctx, q, args...))
	s.queue.after(kind, held, err)
	return res, err
}

func (s *sqlSession) query(ctx context.Context, q string, args []any, into *driverRows) error {
	kind, held, err := s.queue.before(ctx, q)
	if err != nil {
		return err
	}
	r, err := s.c.QueryContext(ctx, q, args...)
	if err != nil {
		s.queue.after(kind, held, err)
		return err
	}
	*into = driverRows{sql: r}
	if held {
		into.sq, into.sqKind = &s.queue, kind
	}
	return nil
}

func (s *sqlSession) inTx() bool { return false }

// seesTx: database/sql drivers do not report the transaction status of a connection.
func (s *sqlSession) seesTx() bool { return false }

// endBlindTx: MySQL and MariaDB accept ROLLBACK outside a transaction; SQLite reports "no
// transaction is active", which here means success.
func (s *sqlSession) endBlindTx(ctx context.Context) bool {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), discardTimeout)
	defer cancel()
	_, err := s.exec(rctx, "ROLLBACK", nil)
	if err == nil {
		return true
	}
	for _, e := range engine.All() {
		if e.NoTransaction != nil && e.NoTransaction(err) {
			return true
		}
	}
	return false
}

func (s *sqlSession) ping(ctx context.Context) error { return s.c.PingContext(ctx) }

// aborted and closed: database/sql cannot tell.
func (s *sqlSession) aborted() bool { return false }
func (s *sqlSession) closed() bool  { return false }

func (s *sqlSession) writeQueue() *sessionQueue { return &s.queue }

// safeToRetry: without an acquire timeout statements go through sql.DB, which has retried
// driver.ErrBadConn three times already.
func (b *sqlBackend) safeToRetry(err error) bool {
	return b.acquireTimeout > 0 && errors.Is(err, driver.ErrBadConn)
}

func (s *sqlSession) release(discard bool) {
	if discard {
		// database/sql closes, instead of pooling, a connection whose Raw callback reports
		// driver.ErrBadConn.
		_ = s.c.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = s.c.Close()
	s.queue.release()
	if s.lent != nil {
		s.lent.leave()
		s.lent = nil
	}
}

// newSQLBackendFor opens a database/sql pool on connector, with the init hooks and the
// connection count in between.
func newSQLBackendFor(connector driver.Connector, r Config) *sqlBackend {
	ic := newInitConnector(connector, r.OnConnect)
	ic.timeout, ic.target, ic.secrets = durationOr(r.ConnectTimeout, defaultConnectTimeout), config.RedactedURL(r), config.Secrets(r)
	return newSQLBackend(sql.OpenDB(ic), r, ic)
}
