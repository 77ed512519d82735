package conn

import (
	"context"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

// querier runs statements: a pool (one borrowed connection per statement) or a session (one
// pinned connection).
type querier interface {
	exec(ctx context.Context, sql string, args []any) (Result, error)
	// query runs a statement and fills into with its result set; on an error it leaves into
	// as it was and holds nothing.
	query(ctx context.Context, sql string, args []any, into *driverRows) error
}

// backend is one driver family's pool behind a DB. The pool-level exec and query borrow a
// connection for the one statement (waiting at most the acquire timeout for it).
type backend interface {
	querier
	// acquire pins one physical connection until release.
	acquire(ctx context.Context) (session, error)
	ping(ctx context.Context) error
	// safeToRetry reports whether a statement that failed with err on a pooled connection is
	// known not to have reached the server, and so may run again on another.
	safeToRetry(err error) bool
	stats() PoolStats
	// evictIdle closes the pool's idle connections (a server they talk to turned read-only).
	evictIdle()
	// closeIdle, closeStale and resetPool are DB.CloseIdle, CloseStale and ResetPool
	// (upkeep.go).
	closeIdle(ctx context.Context) error
	closeStale(ctx context.Context, age time.Duration) error
	resetPool(ctx context.Context) error
	// isClosed reports whether the backend was closed (or retired).
	isClosed() bool
	// close refuses new work, waits (until ctx ends) for the connections in use to come back
	// while more than keep are out, then closes the pool: at once when none is in use, or
	// else each remaining connection as it comes back. It returns how many were in use when
	// the wait ended.
	close(ctx context.Context, keep int) (inUse int, err error)
	// retire refuses new work and closes the pool as soon as nothing is lent out, without
	// waiting for that: the handle was replaced by a re-Init or Uninit.
	retire()
}

// session is one physical connection taken out of the pool.
type session interface {
	querier
	// release gives the connection back to the pool, or closes it when discard is set or the
	// driver knows it is unusable (for example, still inside a transaction).
	release(discard bool)
	// inTx reports whether the driver sees an open transaction on the connection, when it can
	// tell (PostgreSQL can; database/sql drivers cannot and report false).
	inTx() bool
	// seesTx reports whether the driver can tell whether the connection is inside a
	// transaction. Where it cannot, raw statements are read for what they may leave behind
	// (scope.enter) and a transaction begun by hand is ended with endBlindTx.
	seesTx() bool
	// endBlindTx sends ROLLBACK for a transaction the driver cannot see, if there is one,
	// and reports whether the connection is now known to be outside any transaction.
	endBlindTx(ctx context.Context) bool
	// ping checks the connection with a round trip.
	ping(ctx context.Context) error
	// stillInTx reports, after a failed statement in a transaction, whether the transaction
	// is still open, or an error when the connection cannot tell any more (it is lost).
	// d is the connection's dialect.
	stillInTx(ctx context.Context, d dialect.Dialect) (bool, error)
	// aborted reports a transaction that failed and can only roll back (PostgreSQL's
	// failed-transaction state, in which COMMIT quietly rolls back); closed reports a
	// connection the driver has closed, on which a ROLLBACK could only fail. Drivers that
	// cannot tell report false.
	aborted() bool
	closed() bool
	// commitTx sends the transaction's COMMIT (text) and reports what became of the
	// transaction (see txConn.commit): nil when it committed, an error matching
	// ErrCommitUnknown when nothing proves either way, any other error when it did not.
	commitTx(ctx context.Context, st *txState, text string) error
	// writeQueue is the connection's place in a SQLite file's write queue, or nil.
	writeQueue() *sessionQueue
}

// PoolStats is a snapshot of a pool's counters, the same on every engine. Counters the
// driver does not keep are zero.
type PoolStats struct {
	MaxConns      int           // the pool's limit on open connections
	TotalConns    int           // connections open now, in use or idle
	InUse         int           // connections borrowed now
	Idle          int           // connections open and waiting in the pool
	WaitCount     int64         // acquisitions that had to wait for a connection
	WaitDuration  time.Duration // total time spent waiting for connections
	NewConns      int64         // physical connections opened so far (0 for a pool FromSQL wraps)
	LifetimeClose int64         // connections closed for exceeding MaxLifetime
	IdleClose     int64         // connections closed for exceeding MaxIdleTime
	// Connections closed by DB.CloseIdle, DB.CloseStale and DB.ResetPool: each counts when
	// the connection is closed, which for one in use is when it comes back.
	ClosedByCloseIdle  int64
	ClosedByCloseStale int64
	ClosedByResetPool  int64
}

// acquireError tells a borrow from a full pool the caller made that ran out of the acquire
// timeout apart from the caller's own context ending.
func acquireError(parent context.Context, err error, timeout time.Duration, maxConns int) error {
	if err == nil {
		return nil
	}
	if parent.Err() == nil && timeout > 0 && (isDeadline(err)) {
		return &AcquireTimeoutError{Timeout: timeout, MaxConns: maxConns}
	}
	return err
}

// leaseError is the error of a borrow that failed while holding a slot: the pool had room,
// so it failed to connect (a connect error of the driver, or conn's for the connect
// timeout, both ErrOperational), never to find a free connection. The caller's context
// ending wins over what the driver made of the connect it cut short.
func leaseError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

// warm opens and checks max(1, minConns) connections, holding each until all are open, so
// that Connect reports a bad host or password and leaves minConns distinct physical
// connections idle in the pool.
func warm(ctx context.Context, minConns int, acquire func(context.Context) (session, error), ping func(context.Context, session) error) error {
	held := make([]session, 0, max(1, minConns))
	defer func() {
		for _, s := range held {
			s.release(false)
		}
	}()
	for range cap(held) {
		s, err := acquire(ctx)
		if err != nil {
			return err
		}
		held = append(held, s)
		if err := ping(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
