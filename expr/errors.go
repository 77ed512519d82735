package expr

import "errors"

// Kinds of build errors, for errors.Is. Every error returned by Render (and by the builders'
// Build) is a *BuildError that unwraps to one of them.
var (
	// ErrUnsupported: the statement is valid, but the dialect cannot express it
	// (RETURNING on MySQL, FULL JOIN on MySQL, LIMIT on a PostgreSQL UPDATE, ...).
	ErrUnsupported = errors.New("not supported by the dialect")
	// ErrInvalid: the statement is incomplete or contradictory whatever the dialect
	// (UPDATE without SET, an empty IN list, an identifier with a NUL byte, ...).
	ErrInvalid = errors.New("invalid statement")
	// ErrInternal: typedsql itself failed while rendering (a bug; please report it). Rendering
	// never panics: a panic inside it is recovered and returned as this error.
	ErrInternal = errors.New("internal error")
)

// BuildError says which clause of which statement could not be rendered for which dialect.
//
//	typedsql: RETURNING: INSERT ... RETURNING is not supported (dialect mysql)
type BuildError struct {
	Dialect string // dialect.Dialect.Name(), or "" when no dialect was given
	Clause  string // "WHERE", "RETURNING", "SET", ...; "" when not inside a clause
	Reason  string
	Kind    error // ErrUnsupported, ErrInvalid or ErrInternal
}

// Error is "typedsql: CLAUSE: reason (dialect name)".
func (e *BuildError) Error() string {
	s := "typedsql: "
	if e.Clause != "" {
		s += e.Clause + ": "
	}
	s += e.Reason
	if e.Dialect != "" {
		s += " (dialect " + e.Dialect + ")"
	}
	return s
}

// Unwrap returns the error's kind, so errors.Is(err, expr.ErrUnsupported) works.
func (e *BuildError) Unwrap() error { return e.Kind }
