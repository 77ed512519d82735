package builder

import (
	"strings"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// SetStmt is a set operation over queries: UNION, UNION ALL, INTERSECT, EXCEPT, with an
// optional ORDER BY/LIMIT/OFFSET over the combined result. It is itself a Query (a subquery,
// a CTE body, an operand of another set operation).
type SetStmt struct {
	with  with
	parts []setPart
	order []expr.Order
	limit limitOffset
}

type setPart struct {
	q  expr.Query
	op string // operator before q; "" for the first
}

func newSet(op string, a, b expr.Query, more []expr.Query) *SetStmt {
	s := &SetStmt{parts: make([]setPart, 0, 2+len(more))}
	s.parts = append(s.parts, setPart{a, ""}, setPart{b, op})
	for _, q := range more {
		s.parts = append(s.parts, setPart{q, op})
	}
	return s
}

// Union is a UNION b [UNION ...]: distinct rows of all queries.
func Union(a, b expr.Query, more ...expr.Query) *SetStmt { return newSet(" UNION ", a, b, more) }

// UnionAll is a UNION ALL b: all rows, duplicates kept.
func UnionAll(a, b expr.Query, more ...expr.Query) *SetStmt {
	return newSet(" UNION ALL ", a, b, more)
}

// Intersect is a INTERSECT b: rows in both.
func Intersect(a, b expr.Query, more ...expr.Query) *SetStmt {
	return newSet(" INTERSECT ", a, b, more)
}

// Except is a EXCEPT b: rows of a not in b.
func Except(a, b expr.Query, more ...expr.Query) *SetStmt { return newSet(" EXCEPT ", a, b, more) }

// Union appends UNION q.
func (s *SetStmt) Union(q expr.Query) *SetStmt { return s.add(" UNION ", q) }

// UnionAll appends UNION ALL q.
func (s *SetStmt) UnionAll(q expr.Query) *SetStmt { return s.add(" UNION ALL ", q) }

// Intersect appends INTERSECT q.
func (s *SetStmt) Intersect(q expr.Query) *SetStmt { return s.add(" INTERSECT ", q) }

// Except appends EXCEPT q.
func (s *SetStmt) Except(q expr.Query) *SetStmt { return s.add(" EXCEPT ", q) }

func (s *SetStmt) add(op string, q expr.Query) *SetStmt {
	s.parts = append(s.parts, setPart{q, op})
	return s
}

// OrderBy orders the combined result. Columns are written unqualified, as result column names.
func (s *SetStmt) OrderBy(os ...expr.Order) *SetStmt {
	s.order = append(s.order, os...)
	return s
}

// Limit sets LIMIT n on the combined result.
func (s *SetStmt) Limit(n int64) *SetStmt { s.limit.limit, s.limit.hasLimit = n, true; return s }

// Offset sets OFFSET n on the combined result.
func (s *SetStmt) Offset(n int64) *SetStmt {
	s.limit.offset, s.limit.hasOffset = n, true
	return s
}

// With adds common table expressions visible to every operand.
func (s *SetStmt) With(ctes ...WithQuery) *SetStmt { s.with.add(false, ctes); return s }

// WithRecursive adds common table expressions and makes the clause WITH RECURSIVE.
func (s *SetStmt) WithRecursive(ctes ...WithQuery) *SetStmt { s.with.add(true, ctes); return s }

// Build renders the statement for d.
func (s *SetStmt) Build(d dialect.Dialect) (string, []any, error) { return expr.Render(d, s) }

// DebugSQL renders the statement with its values inlined, for logs only.
func (s *SetStmt) DebugSQL(d dialect.Dialect) string { return expr.Debug(d, s) }

// Tables lists the distinct tables all operands read.
func (s *SetStmt) Tables() []string { return expr.TablesOf(s) }

func (s *SetStmt) setOperand() bool { return true }

// WriteSQL writes the statement.
func (s *SetStmt) WriteSQL(w *expr.Writer) {
	f := plumb.Frame(w)
	if s == nil {
		w.Fail(expr.ErrInvalid, "nil *SetStmt")
		return
	}
	scope, clause := f.Scope, f.SetClause(render.ClauseUnion)
	defer func() { f.Scope, f.Clause = scope, clause }()
	s.with.write(w)
	c := w.Caps()
	// INTERSECT binds tighter than UNION and EXCEPT where operands may be parenthesized
	// (PostgreSQL, MySQL), so Union(a, b).Intersect(c), meant as (a UNION b) INTERSECT c, needs
	// the left part in parentheses. SQLite evaluates left to right and needs none.
	closeAt := make([]bool, len(s.parts))
	if c.ParenSetOperands {
		mixed := false
		for i := 1; i < len(s.parts); i++ {
			if s.parts[i].op == " INTERSECT " && mixed {
				closeAt[i] = true
				w.Char('(')
			}
			if s.parts[i].op != " INTERSECT " {
				mixed = true
			}
		}
	}
	for i, p := range s.parts {
		if closeAt[i] {
			w.Char(')')
		}
		name := strings.TrimSpace(p.op)
		if name == "" {
			name = strings.TrimSpace(s.parts[min(1, len(s.parts)-1)].op)
		}
		switch name {
		case "INTERSECT":
			f.SetClause(render.ClauseIntersect)
		case "EXCEPT":
			f.SetClause(render.ClauseExcept)
		default:
			f.SetClause(render.ClauseUnion)
		}
		if (name == "INTERSECT" || name == "EXCEPT") && !c.Intersect {
			w.Unsupported(name)
			return
		}
		w.Text(p.op)
		if p.q == nil {
			w.Fail(expr.ErrInvalid, "nil query in a set operation")
			return
		}
		needs := true
		if o, ok := p.q.(interface{ setOperand() bool }); ok {
			needs = o.setOperand()
		}
		// A nested set operation in first place needs no parentheses where operators are
		// evaluated left to right with equal precedence (SQLite); elsewhere INTERSECT binds
		// tighter, so parentheses keep the nesting the caller built.
		_, nestedSet := p.q.(*SetStmt)
		switch {
		case !needs:
			p.q.WriteSQL(w)
		case c.ParenSetOperands:
			w.Char('(')
			p.q.WriteSQL(w)
			w.Char(')')
		case i == 0 && nestedSet && !p.q.(*SetStmt).hasOrderLimit():
			p.q.WriteSQL(w)
		default:
			w.Unsupported("an operand with its own ORDER BY/LIMIT/WITH or a nested set operation (parenthesized operand)")
			return
		}
	}
	plumb.SetSoleSource(w, nil)
	prevBare := f.SetBare(true)
	if len(s.order) > 0 {
		f.SetClause(render.ClauseOrderBy)
		w.Text(" ORDER BY ")
		plumb.WalkOrdersSQL(w, s.order)
	}
	f.SetBare(prevBare)
	s.limit.walkSQL(w)
}

func (s *SetStmt) hasOrderLimit() bool {
	return len(s.order) > 0 || s.limit.hasLimit || s.limit.hasOffset || len(s.with.ctes) > 0
}
