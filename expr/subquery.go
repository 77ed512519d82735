package expr

// subquery writes a query in parentheses: a scalar subquery, EXISTS (...), IN (...).
type subquery struct{ q Query }

func (s subquery) WriteSQL(w *Writer) { s.writeNode(w) }

func (s subquery) writeNode(w *Writer) {
	if s.q == nil {
		w.Fail(ErrInvalid, "nil subquery")
		return
	}
	w.Char('(')
	s.q.WriteSQL(w)
	w.Char(')')
}

// Subquery is a scalar subquery, (SELECT ...), typed by the one column q yields.
func Subquery[T any](q QueryOf[T]) Expr[T] {
	return newExpr[T](subquery{q})
}
