package conn

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/dialect"
)

// pgxBackend runs PostgreSQL natively on a pgxpool.Pool.
type pgxBackend struct {
	pool           *pgxpool.Pool
	acquireTimeout time.Duration
	minConns       int
	owned          bool // Close closes the pool only when conn opened it
	lent           inflight
}

func (b *pgxBackend) acquireConn(ctx context.Context) (*pgxpool.Conn, error) {
	actx, cancel := withAcquireTimeout(ctx, b.acquireTimeout)
	c, err := b.pool.Acquire(actx)
	cancel()
	if err != nil {
		// pool.Config() copies the whole config: only on the error path.
		return nil, acquireError(ctx, err, b.acquireTimeout, int(b.pool.Config().MaxConns))
	}
	return c, nil
}

func (b *pgxBackend) exec(ctx context.Context, sql string, args []any) (Result, error) {
	if err := b.lent.enter(); err != nil {
		return Result{}, err
	}
	defer b.lent.leave()
	c, err := b.acquireConn(ctx)
	if err != nil {
		return Result{}, err
	}
	defer c.Release()
	tag, err := c.Exec(ctx, sql, args...)
	return Result{RowsAffected: tag.RowsAffected()}, err
}

func (b *pgxBackend) query(ctx context.Context, sql string, args []any, into *driverRows) error {
	if err := b.lent.enter(); err != nil {
		return err
	}
	c, err := b.acquireConn(ctx)
	if err != nil {
		b.lent.leave()
		return err
	}
	r, err := c.Query(ctx, sql, args...)
	if err != nil {
		c.Release()
		b.lent.leave()
		return err
	}
	*into = driverRows{pg: r, pgc: c, lent: &b.lent}
	return nil
}

func (b *pgxBackend) acquire(ctx context.Context) (session, error) {
	if err := b.lent.enter(); err != nil {
		return nil, err
	}
	c, err := b.acquireConn(ctx)
	if err != nil {
		b.lent.leave()
		return nil, err
	}
	return &pgxSession{c: c, conn: c.Conn(), lent: &b.lent}, nil
}

// ping is Connect's check: see warm.
func (b *pgxBackend) ping(ctx context.Context) error {
	return warm(ctx, b.minConns, b.acquire, func(ctx context.Context, s session) error {
		return s.ping(ctx)
	})
}

func (b *pgxBackend) stats() PoolStats {
	s := b.pool.Stat()
	return PoolStats{
		MaxConns:      int(s.MaxConns()),
		TotalConns:    int(s.TotalConns()),
		InUse:         int(s.AcquiredConns()),
		Idle:          int(s.IdleConns()),
		WaitCount:     s.EmptyAcquireCount(),
		WaitDuration:  s.EmptyAcquireWaitTime(),
		NewConns:      s.NewConnsCount(),
		LifetimeClose: s.MaxLifetimeDestroyCount(),
		IdleClose:     s.MaxIdleDestroyCount(),
	}
}

// close refuses new statements, waits for the lent connections to come back, then closes the
// pool if conn opened it. pgxpool's Close itself waits for every acquired connection, so with
// some still out it runs in the background and returns once they are back.
func (b *pgxBackend) close(ctx context.Context, keep int) (int, error) {
	first := b.lent.close()
	inUse := b.lent.drain(ctx, keep)
	if first && b.owned {
		if inUse == 0 {
			b.pool.Close()
		} else {
			go b.pool.Close()
		}
	}
	return inUse, nil
}

// pgxSession is one connection taken out of the pgx pool.
type pgxSession struct {
	c *pgxpool.Conn
	// conn is c's connection, kept apart so that it can still be asked about (and fail
	// statements cleanly) once detach has taken it out of the pool, after which c is spent.
	conn     *pgx.Conn
	detached bool
	lent     *inflight
}

func (s *pgxSession) exec(ctx context.Context, sql string, args []any) (Result, error) {
	tag, err := s.conn.Exec(ctx, sql, args...)
	return Result{RowsAffected: tag.RowsAffected()}, err
}

func (s *pgxSession) query(ctx context.Context, sql string, args []any, into *driverRows) error {
	r, err := s.conn.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	*into = driverRows{pg: r}
	return nil
}

func (s *pgxSession) inTx() bool { return s.conn.PgConn().TxStatus() != 'I' }

// seesTx: pgx reads the transaction status of every ReadyForQuery message.
func (s *pgxSession) seesTx() bool { return true }

// endBlindTx is never needed: pgx sees the transaction, and release discards a connection
// still inside one.
func (s *pgxSession) endBlindTx(context.Context) bool { return !s.inTx() }

func (s *pgxSession) ping(ctx context.Context) error { return s.conn.Ping(ctx) }

// stillInTx tells without a round trip: pgx knows the status from the server's last message.
func (s *pgxSession) stillInTx(context.Context, dialect.Dialect) (bool, error) {
	pc := s.conn.PgConn()
	if pc.IsClosed() {
		return false, errors.New("conn: connection closed")
	}
	return pc.TxStatus() != 'I', nil
}

func (s *pgxSession) aborted() bool { return s.conn.PgConn().TxStatus() == 'E' }

func (s *pgxSession) closed() bool { return s.conn.PgConn().IsClosed() }

func (s *pgxSession) writeQueue() *sessionQueue { return nil }

// safeToRetry: pgconn marks "conn closed" safe to retry, as if the statement had met a
// connection closed before it, but pgx 5 also reports a connection lost while waiting for a
// statement's reply that way (MultiResultReader.NextResult drops the read error, closes the
// connection, then fails on it): the statement may have run. A lost reply proves nothing, so
// it is never run again.
func (b *pgxBackend) safeToRetry(err error) bool {
	return pgconn.SafeToRetry(err) && !errors.Is(err, pgconn.ErrConnClosed)
}

// detach takes the connection out of the pool for good and closes it, while its holder may
// still hold the session: a connection known dead gives its place in the pool up at once (a
// pool of one would otherwise have none to ask the server on), and statements on it fail
// with pgx's "conn closed". Closing cannot block on a dead server for long: the context
// bounds it.
func (s *pgxSession) detach() {
	if s.detached {
		return
	}
	s.detached = true
	pc := s.c.Hijack()
	ctx, cancel := context.WithTimeout(context.Background(), discardTimeout)
	_ = pc.Close(ctx)
	cancel()
}

func (s *pgxSession) release(discard bool) {
	if discard {
		s.detach()
	} else if !s.detached {
		// pgxpool itself destroys a connection that is still inside a transaction or busy.
		s.c.Release()
	}
	if s.lent != nil {
		s.lent.leave()
		s.lent = nil
	}
}
