package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/internal/engine"
)

// pool runs PostgreSQL natively on a pgxpool.Pool. A lease is a *pgxpool.Conn.
type pool struct {
	p  *pgxpool.Pool
	up upkeep
}

func (b *pool) Reader() engine.RowsReader { return rowsReader{} }

func (b *pool) Lease(ctx context.Context) (engine.Lease, error) {
	c, err := b.p.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (b *pool) Exec(ctx context.Context, l engine.Lease, sql string, args []any) (int64, error) {
	tag, err := l.(*pgxpool.Conn).Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (b *pool) Query(ctx context.Context, l engine.Lease, sql string, args []any) (engine.Rows, error) {
	r, err := l.(*pgxpool.Conn).Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (b *pool) Pin(l engine.Lease) *engine.Pinned {
	c := l.(*pgxpool.Conn)
	s := &session{c: c, conn: c.Conn(), up: &b.up}
	s.pinned.Session = s
	return &s.pinned
}

// MaxConns copies the pool's whole config: conn asks only on the error path.
func (b *pool) MaxConns() int { return int(b.p.Config().MaxConns) }

func (b *pool) Stats() engine.PoolStats {
	s := b.p.Stat()
	return engine.PoolStats{
		MaxConns:      int(s.MaxConns()),
		TotalConns:    int(s.TotalConns()),
		InUse:         int(s.AcquiredConns()),
		Idle:          int(s.IdleConns()),
		WaitCount:     s.EmptyAcquireCount(),
		WaitDuration:  s.EmptyAcquireWaitTime(),
		NewConns:      s.NewConnsCount(),
		LifetimeClose: s.MaxLifetimeDestroyCount(),
		IdleClose:     s.MaxIdleDestroyCount(),

		ClosedByCloseIdle:  b.up.closedIdle.Load(),
		ClosedByCloseStale: b.up.closedStale.Load(),
		ClosedByResetPool:  b.up.closedReset.Load(),
	}
}

// EvictIdle: pgxpool's Reset closes the idle connections now and the others when they come
// back.
func (b *pool) EvictIdle() { b.p.Reset() }

// Close closes the pool. pgxpool's Close itself waits for every acquired connection, so with
// some still out it runs in the background and returns once they are back.
func (b *pool) Close(inUse int) {
	if inUse == 0 {
		b.p.Close()
	} else {
		go b.p.Close()
	}
}

// SafeToRetry: pgconn marks "conn closed" safe to retry, as if the statement had met a
// connection closed before it, but pgx 5 also reports a connection lost while waiting for a
// statement's reply that way (MultiResultReader.NextResult drops the read error, closes the
// connection, then fails on it): the statement may have run. A lost reply proves nothing, so
// it is never run again.
func (b *pool) SafeToRetry(err error) bool {
	return pgconn.SafeToRetry(err) && !errors.Is(err, pgconn.ErrConnClosed)
}

// discardTimeout bounds closing a connection known dead (conn's own bound for cleaning up a
// discarded connection).
const discardTimeout = 5 * time.Second

// session is one connection taken out of the pgx pool.
type session struct {
	pinned engine.Pinned // conn's view of the session
	c      *pgxpool.Conn
	// conn is c's connection, kept apart so that it can still be asked about (and fail
	// statements cleanly) once detach has taken it out of the pool, after which c is spent.
	conn     *pgx.Conn
	detached bool
	up       *upkeep // the pool's, to close a condemned connection as it comes back
}

func (s *session) Exec(ctx context.Context, sql string, args []any) (int64, error) {
	tag, err := s.conn.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (s *session) Query(ctx context.Context, sql string, args []any) (engine.Rows, error) {
	r, err := s.conn.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// InTx: pgx reads the transaction status of every ReadyForQuery message.
func (s *session) InTx() bool { return s.conn.PgConn().TxStatus() != 'I' }

func (s *session) Aborted() bool { return s.conn.PgConn().TxStatus() == 'E' }

func (s *session) Closed() bool { return s.conn.PgConn().IsClosed() }

func (s *session) Ping(ctx context.Context) error { return s.conn.Ping(ctx) }

// detach takes the connection out of the pool for good and closes it, while its holder may
// still hold the session: a connection known dead gives its place in the pool up at once (a
// pool of one would otherwise have none to ask the server on), and statements on it fail
// with pgx's "conn closed". Closing cannot block on a dead server for long: the context
// bounds it.
func (s *session) detach() {
	if s.detached {
		return
	}
	s.detached = true
	pc := s.c.Hijack()
	ctx, cancel := context.WithTimeout(context.Background(), discardTimeout)
	_ = pc.Close(ctx)
	cancel()
}

func (s *session) Release(discard bool) {
	if !discard && !s.detached && s.up.condemned(s.conn) {
		discard = true // CloseStale or Reset condemned it while it was in use
	}
	if discard {
		s.detach()
	} else if !s.detached {
		// pgxpool itself destroys a connection that is still inside a transaction or busy.
		s.c.Release()
	}
}

// DriverConn lends pgx's connection to this package's own functions (CopyFrom).
func (s *session) DriverConn() any { return s.conn }
