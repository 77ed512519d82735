package conn

import (
	"fmt"

	"github.com/typedsql/typedsql/internal/engine"
)

// Engines are linked by the packages that register them (internal/engine): conn/postgres for
// "postgres", conn/mysql for "mysql" and "mariadb", conn/sqlite for "sqlite". A program links
// only the drivers of the engine packages it imports.

// engineFor returns the engine registered for adapter, or an error naming the package to
// import.
func engineFor(adapter string) (*engine.Engine, error) {
	if e := engine.Lookup(adapter); e != nil {
		return e, nil
	}
	if pkg := engine.Package(adapter); pkg != "" {
		return nil, fmt.Errorf("conn: no %s engine is linked into this program: import _ %q", adapter, pkg)
	}
	return nil, fmt.Errorf("conn: unknown adapter %q", adapter)
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
