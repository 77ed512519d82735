package expr

type caseWhen struct {
	cond Cond
	then node
}

type caseExpr struct {
	whens []caseWhen
	els   node
}

func (c *caseExpr) writeNode(w *Writer) {
	if len(c.whens) == 0 {
		w.Fail(ErrInvalid, "CASE without WHEN")
		return
	}
	w.Text("CASE")
	for i := range c.whens {
		w.Text(" WHEN ")
		c.whens[i].cond.write(w)
		w.Text(" THEN ")
		c.whens[i].then.write(w)
	}
	if !c.els.isEmpty() {
		w.Text(" ELSE ")
		c.els.write(w)
	}
	w.Text(" END")
}

// CaseBuilder accumulates the WHEN branches of a CASE expression of type T.
type CaseBuilder[T any] struct{ whens []caseWhen }

// Case starts CASE WHEN ... THEN ... [ELSE ...] END with result type T. A branch's value has no
// context PostgreSQL can infer its type from, so there it is cast to T's SQL type:
//
//	expr.Case[string]().When(u.Active.Eq(true), expr.Val("on")).Else(expr.Val("off"))
//	// PostgreSQL:     CASE WHEN "active" = $1 THEN CAST($2 AS TEXT) ELSE CAST($3 AS TEXT) END
//	// MySQL, SQLite:  CASE WHEN `active` = ? THEN ? ELSE ? END
func Case[T any]() CaseBuilder[T] { return CaseBuilder[T]{} }

// When adds WHEN cond THEN then.
func (b CaseBuilder[T]) When(cond Cond, then Of[T]) CaseBuilder[T] {
	b.whens = append(b.whens[:len(b.whens):len(b.whens)], caseWhen{cond, then.exprNode()})
	return b
}

// Else ends the CASE with ELSE x.
func (b CaseBuilder[T]) Else(x Of[T]) Expr[T] {
	return newExpr[T](caseExpr{b.whens, x.exprNode()})
}

// End ends the CASE without ELSE (NULL when no branch matches).
func (b CaseBuilder[T]) End() Expr[T] {
	return newExpr[T](caseExpr{whens: b.whens})
}
