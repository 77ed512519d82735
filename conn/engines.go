package conn

import (
	"fmt"
	"strings"

	"github.com/typedsql/typedsql/internal/engine"
)

// Engines are linked by the packages that register them (internal/engine): conn/postgres for
// "postgres", conn/mysql for "mysql" and "mariadb", conn/sqlite for "sqlite". A program links
// only the drivers of the engine packages it imports.

// enginePackages names the package that registers each adapter and URL scheme, for the error
// of a program that did not import it. It is a hint only: what a scheme means, and everything
// else about an engine, is what the engine package registers.
var enginePackages = map[string]string{
	"postgres":   "github.com/typedsql/typedsql/conn/postgres",
	"postgresql": "github.com/typedsql/typedsql/conn/postgres",
	"pgx":        "github.com/typedsql/typedsql/conn/postgres",
	"sqlite3":    "github.com/typedsql/typedsql/conn/sqlite",
	"mysql":      "github.com/typedsql/typedsql/conn/mysql",
	"mariadb":    "github.com/typedsql/typedsql/conn/mysql",
	"sqlite":     "github.com/typedsql/typedsql/conn/sqlite",
}

// engineFor returns the engine registered for adapter, or an error naming the package to
// import.
func engineFor(adapter string) (*engine.Engine, error) {
	if e := engine.Lookup(adapter); e != nil {
		return e, nil
	}
	if pkg, ok := enginePackages[adapter]; ok {
		return nil, fmt.Errorf("conn: no %s engine is linked into this program: import _ %q", adapter, pkg)
	}
	return nil, fmt.Errorf("conn: unknown adapter %q", adapter)
}

// engineOf returns the adapter a URL scheme or adapter name stands for and its engine. An
// engine conn knows the package of but the program did not import is an error naming the
// package; a name no engine has is ("", nil, nil).
func engineOf(name string) (string, *engine.Engine, error) {
	if adapter, e, ok := engine.Scheme(name); ok {
		return adapter, e, nil
	}
	lower := strings.ToLower(name)
	if pkg, ok := enginePackages[lower]; ok {
		return "", nil, fmt.Errorf("conn: no %s engine is linked into this program: import _ %q", lower, pkg)
	}
	return "", nil, nil
}

// fileEngine reports whether the adapter's engine keeps its database in a file (SQLite).
func fileEngine(adapter string) bool {
	_, e, ok := engine.Scheme(adapter)
	return ok && e.File
}

// engineClasses maps the engines' classes to conn's sentinel errors.
var engineClasses = [...]error{
	engine.Integrity:     ErrIntegrity,
	engine.Data:          ErrData,
	engine.Operational:   ErrOperational,
	engine.Serialization: ErrSerialization,
	engine.Programming:   ErrProgramming,
	engine.NotSupported:  ErrNotSupported,
	engine.Internal:      ErrInternal,
	engine.Interface:     ErrInterface,
}

// engineError turns what an engine read from its driver's error into an *Error (without Err,
// which the caller sets).
func engineError(info engine.ErrorInfo) *Error {
	e := &Error{Code: info.Code, SQLState: info.SQLState, Constraint: info.Constraint,
		Table: info.Table, Column: info.Column}
	if int(info.Class) < len(engineClasses) {
		e.Class = engineClasses[info.Class]
	}
	if e.Class == nil {
		e.Class = ErrOperational
	}
	return e
}

// classifyEngines asks the registered engines whether err is one of their driver's errors.
func classifyEngines(err error) *Error {
	for _, e := range engine.All() {
		if e.Classify == nil {
			continue
		}
		if info, ok := e.Classify(err); ok {
			return engineError(info)
		}
	}
	return nil
}

// engineConnFailure reports whether a registered engine reads err as its driver's error for a
// lost connection.
func engineConnFailure(err error) bool {
	for _, e := range engine.All() {
		if e.ConnFailure != nil && e.ConnFailure(err) {
			return true
		}
	}
	return false
}
