// Package engine is the contract between package conn and the engine packages (conn/postgres,
// conn/mysql, conn/sqlite). An engine package registers what
// only its driver knows (how to make a connector, what its errors mean) under its adapter
// names in init; conn looks the engine up when a URL or Config names the adapter, and so
// links only the drivers of the engine packages a program imports. Neither side imports the
// other: conn's own tests can import the engine packages without a cycle.
package engine

import (
	"context"
	"database/sql/driver"
	"strings"
	"sync"
	"time"
)

// Class is the class of a database error, which conn maps to its sentinel errors
// (conn.ErrIntegrity, ...).
type Class uint8

// The classes, after the Python DB-API hierarchy (see conn's errors). None means "not a
// database error".
const (
	None Class = iota
	Integrity
	Data
	Operational
	Serialization
	Programming
	NotSupported
	Internal
	Interface
)

// ErrorInfo is what an engine reads from one of its driver's errors. Fields the engine does
// not report are empty.
type ErrorInfo struct {
	Class                     Class
	Code, SQLState            string
	Constraint, Table, Column string
}

// Settings are the resolved connection settings an engine makes its connector from.
type Settings struct {
	Host           string
	Port           int
	User           string
	Password       string
	Database       string
	ConnectTimeout time.Duration
	// DriverArgs are the URL parameters that are the driver's, not conn's.
	DriverArgs map[string]string
	// DSN is the data source name conn composed, for an engine whose DSN conn builds itself
	// (SQLite's pragmas); empty otherwise.
	DSN string
	// Functions are Go functions every connection must offer as SQL functions (SQLite).
	Functions []Function
}

// Function is a Go function a connection offers to SQL under Name.
type Function struct {
	Name string
	// Args is the number of arguments; -1 for any number.
	Args          int
	Deterministic bool
	// Call gets the arguments as the driver reads them (int64, float64, string, []byte,
	// nil) and returns one such value.
	Call func(args []driver.Value) (driver.Value, error)
}

// Engine is one engine's knowledge.
type Engine struct {
	// Schemes maps each URL scheme the engine reads (lower case) to the adapter name it
	// stands for: "postgresql" to "postgres". Register also maps each adapter name to itself.
	Schemes map[string]string
	// DefaultPort is the server's port where a URL or Config names none; 0 for an engine
	// without a server.
	DefaultPort int
	// File says the database is a file named by the URL's path (sqlite:///app.db), with no
	// host, port, user or password, and that the engine takes conn's SQLite settings
	// (SQLiteConfig: its pragmas, in the URL or a Config).
	File bool
	// Systems names each adapter as OpenTelemetry's db.system does ("postgresql"), where the
	// adapter name is not that already.
	Systems map[string]string
	// DefaultDatabase answers for settings that name no database (postgres://host): the
	// user and database the driver connects with instead, so that conn shows the database
	// actually used (libpq's convention: the user's name); or an error, naming what to write,
	// where statements could not run without one. nil: the database stays unnamed.
	DefaultDatabase func(user string) (resolvedUser, database string, err error)
	// CheckArgs refuses driver arguments the driver cannot take; its error names the
	// argument. nil when the driver takes any.
	CheckArgs func(args map[string]string) error

	// Open makes a native engine's own pool (native.go); nil for a database/sql engine.
	Open OpenFunc
	// Connector makes a database/sql driver's connector. Its errors do not repeat the settings: conn
	// wraps them with the redacted URL.
	Connector func(ctx context.Context, s Settings) (driver.Connector, error)
	// Classify reads err (anywhere in its chain) as one of the driver's errors; ok is false
	// when it is not one.
	Classify func(err error) (info ErrorInfo, ok bool)
	// CommitFailed reports, for an error of the driver's that a COMMIT returned, whether it
	// proves that the transaction did not commit; known is false when err is not the
	// driver's.
	CommitFailed func(err error) (failed, known bool)
	// ConnFailure reports whether err is one of the driver's own errors for a lost or
	// broken connection (not a server's error reply); nil when the driver has none.
	ConnFailure func(err error) bool
	// NoTransaction reports whether err says that no transaction was open (SQLite's reply to
	// a ROLLBACK outside one); nil when the engine accepts such a ROLLBACK quietly.
	NoTransaction func(err error) bool
	// ServerCode names a server error by its code alone, for logs that must not quote the
	// message: "mysql error 1062 SQLSTATE 23000". ok is false when err is not the driver's.
	ServerCode func(err error) (code string, ok bool)
	// FailedColumn reads the index of the column a scan failed on from one of the driver's
	// scan errors; nil when the driver's scan errors are database/sql's.
	FailedColumn func(err error) (index int, ok bool)
}

var (
	mu      sync.RWMutex
	engines = map[string]*Engine{}
	schemes = map[string]string{} // URL scheme to adapter name
	all     []*Engine             // each once, in registration order
)

// Register makes e the engine of the given adapter names. Engine packages call it in init.
// Registering a name twice panics, as database/sql's Register does: it is a programming error
// found at start-up.
func Register(e *Engine, names ...string) {
	mu.Lock()
	defer mu.Unlock()
	for _, n := range names {
		if _, dup := engines[n]; dup {
			panic("typedsql/internal/engine: Register called twice for adapter " + n)
		}
	}
	for s := range e.Schemes {
		if _, dup := schemes[s]; dup {
			panic("typedsql/internal/engine: Register called twice for URL scheme " + s)
		}
	}
	for _, n := range names {
		engines[n] = e
		schemes[n] = n
	}
	for s, a := range e.Schemes {
		schemes[s] = a
	}
	all = append(all[:len(all):len(all)], e)
}

// Lookup returns the engine registered for an adapter name, or nil.
func Lookup(name string) *Engine {
	mu.RLock()
	defer mu.RUnlock()
	return engines[name]
}

// packages names the engine package that registers each adapter and URL scheme, for the
// error of a program that did not import it. It is a hint only: what a scheme means, and
// everything else about an engine, is what the engine package registers.
var packages = map[string]string{
	"postgres":   "github.com/typedsql/typedsql/conn/postgres",
	"postgresql": "github.com/typedsql/typedsql/conn/postgres",
	"pgx":        "github.com/typedsql/typedsql/conn/postgres",
	"mysql":      "github.com/typedsql/typedsql/conn/mysql",
	"mariadb":    "github.com/typedsql/typedsql/conn/mysql",
	"sqlite":     "github.com/typedsql/typedsql/conn/sqlite",
	"sqlite3":    "github.com/typedsql/typedsql/conn/sqlite",
}

// Package returns the import path of the engine package that registers an adapter or URL
// scheme (lower case), or "".
func Package(name string) string { return packages[name] }

// Scheme returns the adapter name a URL scheme (or an adapter name) stands for, and its
// engine; ok is false when no registered engine reads the scheme. Schemes are matched
// without regard to case.
func Scheme(scheme string) (adapter string, e *Engine, ok bool) {
	mu.RLock()
	defer mu.RUnlock()
	adapter, ok = schemes[strings.ToLower(scheme)]
	if !ok {
		return "", nil, false
	}
	return adapter, engines[adapter], true
}

// All returns the registered engines, each once, in the order they registered. The caller
// must not change the slice; it costs no allocation (error classification calls it).
func All() []*Engine {
	mu.RLock()
	defer mu.RUnlock()
	return all
}

// SQLStateClass classifies a five-character SQLSTATE by its standard class, with
// serialization failure and deadlock picked out of class 40. PostgreSQL reports one for every
// error; MySQL and MariaDB for the errors whose number is not more telling.
// https://www.postgresql.org/docs/current/errcodes-appendix.html
func SQLStateClass(code string) Class {
	switch code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return Serialization
	case "40002": // transaction_integrity_constraint_violation
		return Integrity
	}
	if len(code) != 5 {
		return Internal
	}
	switch code[:2] {
	case "22": // data exception
		return Data
	case "23": // integrity constraint violation
		return Integrity
	case "0A": // feature not supported
		return NotSupported
	case "20", "21", "26", "3D", "3F", "42", "44", "0L", "0P":
		// case not found, cardinality, statement name, catalog/schema name, syntax or access
		// rule, WITH CHECK OPTION, grantor, role specification
		return Programming
	case "08", "27", "28", "34", "40", "53", "54", "55", "57", "58", "72", "HV":
		// connection, triggered data change, authorization, cursor name, rollback, resources,
		// program limits, object state (lock_not_available), operator intervention (query
		// cancelled, shutdown), system error, snapshot too old, foreign data wrapper
		return Operational
	}
	// 24, 25, 2B, 2D, 2F, 38, 39, 3B, 09, 0B, 0F, 0Z, F0, P0, XX: cursor and transaction
	// state, routines, triggers, configuration, PL/pgSQL, internal errors.
	return Internal
}
