package conn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/txn"
)

// The classes of database error, after the Python DB-API hierarchy that peewee exposes. Test
// for them with errors.Is; every error a driver reports is wrapped in an *Error of one class,
// which still unwraps to the driver's own error (*pgconn.PgError, *mysql.MySQLError,
// *sqlite.Error) for errors.As. (Each engine's errors are classified by its engine package,
// conn/postgres, conn/mysql or conn/sqlite, which a program imports to use the engine.)
//
//	_, err := db.Exec(ctx, conn.SQL("INSERT INTO users (email) VALUES ($1)"), "ann@example.com")
//	if errors.Is(err, conn.ErrIntegrity) { ... } // duplicate email
var (
	// ErrDatabase matches every classified error.
	ErrDatabase error = &errClass{"database"}
	// ErrIntegrity: a constraint refused the change: unique or primary key, foreign key,
	// NOT NULL, CHECK, exclusion. *Error.Constraint names it where the engine says.
	ErrIntegrity error = &errClass{"integrity"}
	// ErrData: a value does not fit: too long, out of range, division by zero, text that is
	// not a number or a date, a wrong type in a SQLite STRICT table.
	ErrData error = &errClass{"data"}
	// ErrOperational: the database or the connection failed, not the statement: the host is
	// unreachable, the password or database name is wrong, the connection was lost, a lock
	// wait timed out, the server ran out of a resource, the statement was cancelled.
	ErrOperational error = &errClass{"operational"}
	// ErrSerialization: the transaction lost a conflict with another one (a serialization
	// failure, a deadlock, SQLite's "database is locked"); running the whole transaction again
	// may succeed. It also matches ErrOperational.
	ErrSerialization error = &errClass{"serialization"}
	// ErrCommitUnknown: COMMIT was sent, and the connection broke or timed out before its
	// reply came, so the transaction may have committed or not. Neither the OnCommit nor the
	// OnRollback hooks ran, and txn.Retry does not run the block again. Find out from the data
	// before doing the work again. On PostgreSQL conn asks the server on a new connection
	// first (see DB.Atomic) and reports this only when that fails. It also matches
	// ErrOperational and txn.ErrCommitUnknown.
	//
	//	err := db.Atomic(ctx, placeOrder) // ... COMMIT, and the connection drops
	//	if errors.Is(err, conn.ErrCommitUnknown) {
	//		// SELECT ... FROM orders WHERE request_id = $1: placed or not?
	//	}
	ErrCommitUnknown error = &errClass{"unknown commit outcome"}
	// ErrProgramming: the statement is wrong: a syntax error, a missing table or column, an
	// ambiguous name, a missing privilege, the wrong number of arguments.
	ErrProgramming error = &errClass{"programming"}
	// ErrNotSupported: the engine does not have the feature the statement asks for.
	ErrNotSupported error = &errClass{"not supported"}
	// ErrInternal: the engine reports its own or the transaction's state as broken: an
	// invalid transaction state, an internal error, a corrupt database file.
	ErrInternal error = &errClass{"internal"}
	// ErrInterface: the handle was misused rather than the database failing: a closed DB, a
	// finished transaction. ErrClosed matches it.
	ErrInterface error = &errClass{"interface"}
)

type errClass struct{ name string }

func (c *errClass) Error() string { return "conn: " + c.name + " error" }

// Error is a driver error with its class. Fields the engine does not report are empty.
//
//	var e *conn.Error
//	if errors.As(err, &e) && errors.Is(e, conn.ErrIntegrity) {
//		log.Printf("constraint %s on %s", e.Constraint, e.Table)
//	}
type Error struct {
	// Class is one of ErrIntegrity, ErrData, ErrOperational, ErrSerialization,
	// ErrCommitUnknown, ErrProgramming, ErrNotSupported, ErrInternal or ErrInterface.
	Class error
	// Code is the engine's own code: the SQLSTATE on PostgreSQL ("23505"), the error number
	// on MySQL/MariaDB ("1062"), the extended result code on SQLite ("2067").
	Code string
	// SQLState is the five-character SQLSTATE, where the engine reports one (PostgreSQL,
	// MySQL/MariaDB).
	SQLState string
	// Constraint names the violated constraint: the constraint or index name on PostgreSQL
	// and MySQL/MariaDB (CHECK and foreign keys; for duplicates the key name); on SQLite, what
	// SQLite reports: the CHECK constraint's name, or "table.column" for UNIQUE.
	Constraint string
	// Table and Column name what the error is about, where the engine says.
	Table, Column string
	// Err is the driver's error.
	Err error

	msg string // the driver's message, with any password masked
}

// Error returns the class and the driver's message, e.g.
// "conn: integrity error: ERROR: duplicate key value violates unique constraint "users_email_key" (SQLSTATE 23505)".
func (e *Error) Error() string {
	name := "database"
	if c, ok := e.Class.(*errClass); ok {
		name = c.name
	}
	return "conn: " + name + " error: " + e.msg
}

// Unwrap returns the driver's error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the error's class (ErrSerialization and ErrCommitUnknown are
// also ErrOperational, and ErrCommitUnknown is also txn.ErrCommitUnknown) or ErrDatabase.
func (e *Error) Is(target error) bool {
	switch target {
	case e.Class, ErrDatabase:
		return true
	case ErrOperational:
		return e.Class == ErrSerialization || e.Class == ErrCommitUnknown || e.Class == ErrReadOnly
	case txn.ErrCommitUnknown:
		return e.Class == ErrCommitUnknown
	}
	return false
}

// classify wraps a driver error in its class and masks the handle's passwords in its text.
// Errors that are not the database's (the caller's context ending, conn's own errors) are
// returned as they are. It is cheap for a nil error, which is what nearly every call sees.
func classify(h *handle, err error) error {
	if err == nil {
		return nil
	}
	var secrets []string
	if h != nil {
		secrets = config.Secrets(h.cfg)
	}
	return classifyError(err, secrets)
}

func classifyError(err error, secrets []string) error {
	var done *Error
	if errors.As(err, &done) {
		return err
	}
	e := classifyDriver(err)
	if e == nil {
		return redactErr(err, secrets...)
	}
	e.Err = err
	if readOnlyServer(e, err) {
		e.Class = ErrReadOnly
	}
	if e.msg == "" {
		e.msg = err.Error()
	}
	// conn's own wrapping ("conn: connect to ...") reads on after the class.
	e.msg = redactString(strings.TrimPrefix(e.msg, "conn: "), secrets)
	return e
}

// classifyDriver finds the class of err, or returns nil when err is not a database error.
func classifyDriver(err error) *Error {
	if e := classifyEngines(err); e != nil {
		return e // an engine's error (conn/postgres, conn/mysql, conn/sqlite)
	}
	switch {
	case errors.Is(err, ErrClosed), errors.Is(err, ErrAcquireTimeout):
		return nil // conn's own errors carry their class already
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		// The caller's context ended: that is the caller's decision, not a database failure,
		// and retrying it (as reconnect-once does for operational errors) would be wrong.
		return nil
	case errors.Is(err, sql.ErrConnDone), errors.Is(err, sql.ErrTxDone):
		return &Error{Class: ErrInterface}
	case isConnectionFailure(err):
		return &Error{Class: ErrOperational}
	}
	return nil
}

// isConnectionFailure recognises a lost or unreachable connection in any driver.
func isConnectionFailure(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || engineConnFailure(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}
