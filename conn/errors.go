package conn

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors of the connection layer itself.
var (
	// ErrNoRows: One, Scalar or Row.Scan found no row.
	ErrNoRows = errors.New("conn: no rows in result set")
	// ErrNotInitialized: the DB was declared but not given a database yet.
	ErrNotInitialized = errors.New("conn: database not initialized: call Init with a URL or config first")
	// ErrBlockEnded: a statement was made with the context of a WithConn or Atomic block after
	// that block had returned.
	ErrBlockEnded = errors.New("conn: context belongs to a connection block that has ended; use the context the block's caller holds")
	// ErrAcquireTimeout: no pooled connection became free within the acquire timeout.
	ErrAcquireTimeout = errors.New("conn: timed out waiting for a free connection")

	errNilStatement = errors.New("conn: nil statement")
	errExtraArgs    = errors.New("conn: arguments passed beside a built statement: a built statement binds its own values; pass extra arguments only with conn.SQL")
)

// AcquireTimeoutError reports a wait for a pooled connection that ran out. It matches
// ErrAcquireTimeout and ErrOperational.
type AcquireTimeoutError struct {
	Timeout  time.Duration
	MaxConns int
}

func (e *AcquireTimeoutError) Error() string {
	return fmt.Sprintf("conn: no connection became free within %s (pool of %d, all in use): raise pool max_conns or acquire_timeout, or return connections sooner", e.Timeout, e.MaxConns)
}

// Is makes errors.Is(err, ErrAcquireTimeout) and errors.Is(err, ErrOperational) hold.
func (e *AcquireTimeoutError) Is(target error) bool {
	return target == ErrAcquireTimeout || target == ErrOperational
}

func isDeadline(err error) bool { return errors.Is(err, context.DeadlineExceeded) }
