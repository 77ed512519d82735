package expr

import "github.com/typedsql/typedsql/dialect"

type excluded struct{ c *column }

func (e excluded) writeNode(w *Writer) {
	if e.c == nil {
		w.column(nil)
		return
	}
	switch w.caps.Upsert {
	case dialect.UpsertOnConflict:
		w.Text("EXCLUDED.")
		w.Ident(e.c.name)
	case dialect.UpsertOnDuplicateKey:
		w.Text("VALUES(")
		w.Ident(e.c.name)
		w.Char(')')
	default:
		w.Unsupported("upsert (the EXCLUDED row)")
	}
}

// Excluded is the value the conflicting INSERT proposed for column c, for an upsert's
// DO UPDATE SET: EXCLUDED."name" on PostgreSQL and SQLite, VALUES(`name`) on MySQL.
func Excluded[T any](c ColumnOf[T]) Expr[T] {
	if col := c.tableColumn(); col != nil {
		return Expr[T]{&col.excluded} // no allocation
	}
	return Expr[T]{&excludedNone}
}

// excludedNone is the EXCLUDED node of no column: an error to render.
var excludedNone = node{excluded{}}
