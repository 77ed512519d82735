package conn

import (
	"fmt"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/internal/sqltext"
)

// Portable is hand-written SQL text whose placeholders are ? on every engine: they are
// rebound to the engine's own form when the statement runs ($1, $2, ... on PostgreSQL), so
// that one text serves PostgreSQL, MySQL/MariaDB and SQLite. Its arguments are the extra
// arguments of Exec, Query, QueryRow and the fetch functions, one per ?, in order.
//
//	db.Exec(ctx, conn.Portable("UPDATE users SET active = ? WHERE id = ?"), false, 7)
//	// PostgreSQL:      UPDATE users SET active = $1 WHERE id = $2
//	// MySQL, SQLite:   UPDATE users SET active = ? WHERE id = ?
//
// A ? inside a string literal, a quoted identifier or a comment is left alone, by the
// engine's rules (dialect.Lexical): '?', "a?", -- why?, /* ? */, and on PostgreSQL $$?$$ and
// E'\'?'. ?? is a literal ? for PostgreSQL's jsonb operators (doc ?? 'key' is doc ? 'key'); on
// the other engines, where a ? outside quotes can only be a placeholder, it is an error, as
// is a numbered ?1 and a count of arguments that differs from the count of placeholders. SQL
// is the engine's own text, passed through untouched.
type Portable string

// Build returns the text with its placeholders rebound for d, and no arguments.
func (s Portable) Build(d dialect.Dialect) (string, []any, error) {
	text, _, err := s.rebind(d)
	return text, nil, err
}

// rebind returns the text for d and the number of its placeholders.
func (s Portable) rebind(d dialect.Dialect) (string, int, error) {
	caps := d.Caps()
	lx := caps.Lexical
	syn := sqltext.Syntax{HashComments: lx.HashComments, BacktickQuotes: lx.BacktickQuotes,
		DollarQuotes: lx.DollarQuotes, EscapeStrings: lx.EscapeStrings,
		NestedComments: lx.NestedComments, BackslashEscapes: caps.BackslashEscapes}
	var place func([]byte, int) []byte
	if caps.Placeholder != '?' {
		place = d.AppendPlaceholder
	}
	text, n, err := sqltext.Rebind(string(s), syn, place)
	if err != nil {
		return "", 0, fmt.Errorf("conn.Portable: %w", err)
	}
	return text, n, nil
}

// renderPortable is render for Portable text: the text for d, checked against its arguments.
func renderPortable(d dialect.Dialect, s Portable, args []any) (string, error) {
	text, n, err := s.rebind(d)
	if err != nil {
		return "", err
	}
	if n != len(args) {
		return "", fmt.Errorf("conn.Portable: %d placeholders, %d arguments", n, len(args))
	}
	return text, nil
}

// handWritten reports SQL text, which may do anything (SQL or Portable), as opposed to a
// built statement.
func handWritten(stmt Statement) bool {
	switch stmt.(type) {
	case SQL, Portable:
		return true
	}
	return false
}
