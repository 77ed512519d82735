package postgres

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/typedsql/typedsql/internal/engine"
)

// classify reads a server error by its SQLSTATE (engine.SQLStateClass): by the two-character
// class, with serialization failure and deadlock picked out of class 40. A wrong password or
// database name comes as a server error inside pgconn's ConnectError: it is a failure to
// connect, whatever its SQLSTATE class says.
// https://www.postgresql.org/docs/current/errcodes-appendix.html
func classify(err error) (engine.ErrorInfo, bool) {
	var pg *pgconn.PgError
	var connect *pgconn.ConnectError
	switch {
	case errors.As(err, &pg):
		info := engine.ErrorInfo{
			Class:      engine.SQLStateClass(pg.Code),
			Code:       pg.Code,
			SQLState:   pg.Code,
			Constraint: pg.ConstraintName,
			Table:      pg.TableName,
			Column:     pg.ColumnName,
		}
		if errors.As(err, &connect) {
			info.Class = engine.Operational
		}
		return info, true
	case errors.As(err, &connect):
		return engine.ErrorInfo{Class: engine.Operational}, true
	case strings.HasPrefix(err.Error(), "extended protocol limited to"):
		// pgconn refuses a statement of more than 65535 parameters with a plain error before
		// sending it: the statement is wrong, and no retry can help.
		return engine.ErrorInfo{Class: engine.Programming}, true
	}
	return engine.ErrorInfo{}, false
}

// connFailure recognises pgconn's errors for a connection that timed out or failed before the
// statement reached the server.
func connFailure(err error) bool {
	return pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}

// commitFailed: a server's error reply to COMMIT proves the transaction did not commit
// (a serialization failure, a deferred constraint), except a reply that ends the session (a
// FATAL or PANIC): the server may have committed before it ended it, as PostgreSQL does when
// a backend is terminated while it waits for a synchronous standby. pgconn's SafeToRetry is no
// proof: pgx reports a connection lost while it waits for the COMMIT's reply as "conn closed",
// the same error it gives for a statement never sent, and marks it safe to retry.
func commitFailed(err error) (failed, known bool) {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return false, false
	}
	sev := pg.SeverityUnlocalized
	if sev == "" {
		sev = pg.Severity
	}
	return sev != "FATAL" && sev != "PANIC", true
}

// serverCode names a server error by its SQLSTATE, for logs that must not quote its message.
func serverCode(err error) (string, bool) {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return "", false
	}
	return "postgres error SQLSTATE " + pg.Code, true
}

// failedColumn reads the index of the column a pgx scan failed on.
func failedColumn(err error) (int, bool) {
	var se pgx.ScanArgError
	if !errors.As(err, &se) {
		return 0, false
	}
	return se.ColumnIndex, true
}
