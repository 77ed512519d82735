package sqlite

import (
	"strconv"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/typedsql/typedsql/internal/engine"
)

// errorInfo classifies a SQLite error by its result code: the primary code (the low byte)
// picks the class, with a few extended codes refined.
// https://www.sqlite.org/rescode.html
func errorInfo(code int, msg string) engine.ErrorInfo {
	e := engine.ErrorInfo{Class: sqliteClass(code), Code: strconv.Itoa(code)}
	if e.Class == engine.Integrity {
		// "constraint failed: UNIQUE constraint failed: users.email (2067)"
		for _, kind := range [...]string{"UNIQUE", "PRIMARY KEY", "CHECK", "NOT NULL"} {
			detail, ok := sqliteDetail(msg, kind+" constraint failed: ")
			if !ok {
				continue
			}
			if kind == "CHECK" {
				e.Constraint = detail // the constraint's name, or its expression when unnamed
				break
			}
			if t, c, ok := strings.Cut(detail, "."); ok && !strings.Contains(c, ",") {
				e.Table, e.Column = t, c
			}
			if kind != "NOT NULL" {
				e.Constraint = detail // SQLite names no index: "users.email" or "t.a, t.b"
			}
			break
		}
	}
	if e.Class == engine.Programming {
		e.Table, e.Column = sqliteMissingColumn(msg)
	}
	return e
}

// sqliteMissingColumn reads the column of a "no such column" error, and its table when the
// reference was qualified:
//
//	SQL logic error: no such column: "staus" - should this be a string literal in single-quotes? (1)
//	SQL logic error: no such column: u.nmae (1)
func sqliteMissingColumn(msg string) (table, column string) {
	detail, ok := sqliteDetail(msg, "no such column: ")
	if !ok {
		return "", ""
	}
	if quoted, ok := strings.CutPrefix(detail, `"`); ok {
		column, _, _ = strings.Cut(quoted, `" - `)
		return "", column
	}
	if t, c, ok := strings.Cut(detail, "."); ok {
		return t, c
	}
	return "", detail
}

// sqliteDetail returns what follows marker in msg, without the trailing " (code)".
func sqliteDetail(msg, marker string) (string, bool) {
	i := strings.Index(msg, marker)
	if i < 0 {
		return "", false
	}
	detail := msg[i+len(marker):]
	if j := strings.LastIndex(detail, " ("); j >= 0 {
		detail = detail[:j]
	}
	return detail, true
}

func sqliteClass(code int) engine.Class {
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_DATATYPE: // a STRICT table refused a value of the wrong type
		return engine.Data
	case sqlite3.SQLITE_BUSY_RECOVERY:
		return engine.Operational
	}
	switch code & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		return engine.Integrity
	case sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_MISMATCH:
		return engine.Data
	case sqlite3.SQLITE_BUSY:
		// "database is locked": another connection holds the lock this transaction needs.
		// SQLite reports a deadlock the same way, at once and without waiting, and a stale
		// WAL snapshot as SQLITE_BUSY_SNAPSHOT; in every case running the transaction again
		// is the remedy.
		return engine.Serialization
	case sqlite3.SQLITE_ERROR, sqlite3.SQLITE_RANGE:
		// SQLITE_ERROR is a syntax error, a missing table or column, a wrong function; RANGE
		// is a bind index out of range.
		return engine.Programming
	case sqlite3.SQLITE_MISUSE:
		return engine.Interface
	case sqlite3.SQLITE_NOLFS:
		return engine.NotSupported
	case sqlite3.SQLITE_INTERNAL, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTFOUND,
		sqlite3.SQLITE_EMPTY, sqlite3.SQLITE_FORMAT:
		return engine.Internal
	}
	// PERM, ABORT, LOCKED, NOMEM, READONLY, INTERRUPT, IOERR, FULL, CANTOPEN, PROTOCOL,
	// SCHEMA, AUTH, NOTADB: the file, the memory or the environment failed.
	return engine.Operational
}
