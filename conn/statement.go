package conn

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// Statement is anything that renders to SQL and arguments for a dialect: every statement of
// the builder package, and SQL for hand-written text.
type Statement interface {
	Build(d dialect.Dialect) (sql string, args []any, err error)
}

// SQL is hand-written SQL text, passed to the driver as it is. Its arguments are the extra
// arguments of Exec, Query, QueryRow and the fetch functions; placeholders are the engine's own
// ($1 on PostgreSQL, ? on MySQL and SQLite). For one text that runs on every engine, write ?
// and use Portable.
//
//	db.Exec(ctx, conn.SQL("UPDATE users SET active = $1 WHERE id = $2"), false, 7)
type SQL string

// Build returns the text unchanged and no arguments.
func (s SQL) Build(dialect.Dialect) (string, []any, error) { return string(s), nil, nil }

// render turns a statement and the extra arguments into SQL text and arguments. Extra
// arguments belong to SQL text only: a built statement binds its own values.
//
// A statement that cannot be rendered, or that binds more arguments than the engine takes in
// one statement, is an error of class ErrProgramming before anything is sent: the statement
// is wrong whatever the database's state.
func render(d dialect.Dialect, stmt Statement, extra []any) (string, []any, error) {
	if stmt == nil {
		return "", nil, errNilStatement
	}
	stmt = unwrapReadOnly(stmt)
	if s, ok := stmt.(SQL); ok {
		if limit := d.Caps().MaxParams; limit > 0 && len(extra) > limit {
			return "", nil, programmingError(expr.TooManyArgs(d, len(extra)))
		}
		return string(s), extra, nil
	}
	if s, ok := stmt.(Portable); ok {
		if limit := d.Caps().MaxParams; limit > 0 && len(extra) > limit {
			return "", nil, programmingError(expr.TooManyArgs(d, len(extra)))
		}
		text, err := renderPortable(d, s, extra)
		if err != nil {
			return "", nil, programmingError(err)
		}
		return text, extra, nil
	}
	if len(extra) > 0 {
		return "", nil, errExtraArgs
	}
	text, args, err := stmt.Build(d)
	if err != nil {
		return "", nil, programmingError(err)
	}
	return text, args, nil
}

// programmingError gives a statement's build error the class ErrProgramming; errors.As still
// finds the *expr.BuildError inside.
func programmingError(err error) error {
	return &Error{Class: ErrProgramming, Err: err, msg: err.Error()}
}
