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
	// ErrTooManyRows: One or Scalar found a second row where the statement should return one.
	ErrTooManyRows = errors.New("conn: more than one row in result set: One and Scalar expect exactly one (add a WHERE on a unique key or LIMIT 1)")
	// ErrNotInitialized: the DB was declared but not given a database yet (or Uninit took it
	// away). It matches ErrInterface, as peewee's InterfaceError: the handle was used too
	// early, the database did not fail.
	ErrNotInitialized error = &misuseError{"conn: database not initialized: call Init with a URL or config first"}
	// ErrBlockEnded: a statement was made with the context of a WithConn or Atomic block after
	// that block had returned, or with a Session's context after the session ended.
	ErrBlockEnded = errors.New("conn: context belongs to a connection block that has ended; use the context the block's caller holds")
	// ErrAcquireTimeout: no pooled connection became free within the acquire timeout.
	ErrAcquireTimeout = errors.New("conn: timed out waiting for a free connection")
	// ErrConnsInUse: Close or CloseContext stopped waiting while connections were still in use
	// (see ConnsInUseError). The pool is closed all the same; those connections close as they
	// come back.
	ErrConnsInUse = errors.New("conn: connections still in use when Close stopped waiting")
	// ErrClosed: the DB was closed; no statement can start on it. It matches ErrInterface.
	ErrClosed error = &closedError{}
	// ErrConnBusy: a statement was made on a pinned connection (an Atomic block, WithConn, the
	// HTTP middleware) while another statement's result set was still open on it, on every
	// engine: a connection runs one statement at a time. Typically a statement inside a loop
	// over Each or Rows of the same block: collect the rows with All first, or close the Rows.
	// It matches ErrInterface.
	ErrConnBusy error = &misuseError{"conn: the block's connection is busy with another statement's result set: " +
		"close the Rows (or end the Each loop) first, or collect the rows with All; " +
		"and do not share a block's context between goroutines (a connection runs one statement at a time)"}

	errNilStatement = errors.New("conn: nil statement")
	errPinnedInTx   = &misuseError{"conn: the connection this context pins is already in a transaction, whose block's context was not used: " +
		"make statements and nested blocks with the context the block's function received"}
	errExtraArgs = errors.New("conn: arguments passed beside a built statement: a built statement binds its own values; pass extra arguments only with conn.SQL or conn.Portable")

	// Misuse of blocks, Init, Using and scanning.

	// ErrNoTransaction: Savepoint, OnCommit, OnRollback or DB.Block was called with a context
	// that is not inside an atomic block.
	ErrNoTransaction = errors.New("conn: not inside a transaction: begin one with DB.Atomic or DB.Transaction first")
	// ErrInTransaction: Session.Begin was called while the session's transaction was open.
	// (DB.Transaction inside a transaction joins it; see DB.Transaction.)
	ErrInTransaction = errors.New("conn: already inside a transaction: commit or roll it back first, or use DB.Atomic or DB.Savepoint for a nested block")
	// ErrCommitVetoed: a BeforeCommit hook returned an error, so the transaction rolled back
	// instead of committing. The error wraps the hook's.
	ErrCommitVetoed = errors.New("conn: commit vetoed by a BeforeCommit hook; the transaction rolled back")
	// ErrTxRolledBack: the engine rolled the block's transaction back on its own after an
	// error (MySQL after a deadlock, SQLite after an interrupt or I/O error), so the block
	// cannot commit; statements made in it fail until its outermost block ends.
	ErrTxRolledBack = errors.New("conn: the engine rolled back the transaction after an error")

	// ErrNoField is what a ScanError wraps when a column has no field to go to.
	ErrNoField = errors.New("no field for column")
	// ErrUsingConflict: a statement touches tables that Using sends to different databases (or
	// some to another database and some not), and one statement runs on one database.
	ErrUsingConflict = errors.New("conn: statement spans databases")
)

// misuseError is a misuse of the handle: it matches ErrInterface.
type misuseError struct{ msg string }

func (e *misuseError) Error() string      { return e.msg }
func (*misuseError) Is(target error) bool { return target == ErrInterface }

// ConnsInUseError reports connections still in use when Close stopped waiting for them. It
// matches ErrConnsInUse, and the cause of the end of the wait (context.DeadlineExceeded for
// Close's own timeout).
type ConnsInUseError struct {
	InUse int   // connections still lent out, not counting the caller's own block
	Cause error // why the wait ended
}

func (e *ConnsInUseError) Error() string {
	return fmt.Sprintf("conn: closed with %d connection(s) still in use (the wait ended: %v); each closes when it comes back: "+
		"end blocks and close Rows before Close, or give CloseContext a longer deadline", e.InUse, e.Cause)
}

// Is makes errors.Is(err, ErrConnsInUse) hold.
func (e *ConnsInUseError) Is(target error) bool { return target == ErrConnsInUse }

// Unwrap returns the cause.
func (e *ConnsInUseError) Unwrap() error { return e.Cause }

type closedError struct{}

// errRetired: a statement found the handle it loaded replaced by a re-Init or Uninit before it
// could borrow a connection. The entry points run it again on the DB's current handle; it
// matches ErrClosed in case it still gets out.
var errRetired error = &retiredError{}

type retiredError struct{ closedError }

func (*retiredError) Error() string {
	return "conn: the database was replaced (Init or Uninit) while the statement started"
}

func (*retiredError) Is(target error) bool { return target == ErrClosed || target == ErrInterface }

func (*closedError) Error() string { return "conn: database is closed" }

// Is makes errors.Is(ErrClosed, ErrInterface) hold: using a closed handle is a misuse of the
// interface, not a failure of the database.
func (*closedError) Is(target error) bool { return target == ErrInterface }

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
