package builder

import (
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// WithQuery is one common table expression: a name (a table descriptor, whose columns name the
// CTE's columns) and its query. Make it with CTE.
type WithQuery struct {
	t expr.Source
	q expr.Query
}

// CTE names q with the descriptor t for a WITH clause:
//
//	builder.Select(Top.UserID).From(Top).With(builder.CTE(Top, sub))
//	// WITH "top" ("user_id", "total") AS (SELECT ...) SELECT "user_id" FROM "top"
//
// The column list comes from t's declared columns, so q's items map to them by position.
// Reference the CTE as a Source (From(Top)); it is not reported by Tables().
func CTE(t expr.Source, q expr.Query) WithQuery { return WithQuery{t, q} }

// with is the WITH clause shared by all statements.
type with struct {
	ctes      []WithQuery
	recursive bool
}

func (c *with) add(recursive bool, ctes []WithQuery) {
	c.ctes = append(c.ctes, ctes...)
	c.recursive = c.recursive || recursive
}

func (c *with) write(w *expr.Writer) {
	if len(c.ctes) == 0 {
		return
	}
	prev := w.Clause(render.ClauseWith)
	// Declare every name first: a recursive CTE refers to itself, and later CTEs to earlier ones.
	for _, q := range c.ctes {
		if q.t == nil {
			w.Fail(expr.ErrInvalid, "CTE without a name descriptor")
			w.Clause(prev)
			return
		}
		w.DeclareCTE(q.t)
	}
	w.Text("WITH ")
	if c.recursive {
		w.Text("RECURSIVE ")
	}
	for i, q := range c.ctes {
		if i > 0 {
			w.Text(", ")
		}
		q.t.WriteName(w)
		if t, ok := q.t.(interface{ ColumnNames() []string }); ok {
			if names := t.ColumnNames(); len(names) > 0 {
				w.Text(" (")
				for j, n := range names {
					if j > 0 {
						w.Text(", ")
					}
					w.Ident(n)
				}
				w.Char(')')
			}
		}
		w.Text(" AS (")
		if q.q == nil {
			w.Fail(expr.ErrInvalid, "CTE without a query")
		} else {
			q.q.WriteSQL(w)
		}
		w.Char(')')
	}
	w.Char(' ')
	w.Clause(prev)
}

// writeDML writes the WITH clause of an INSERT, UPDATE or DELETE, where not every engine
// accepts one; it reports whether rendering may go on.
func (c *with) writeDML(w *expr.Writer, stmt string) bool {
	if len(c.ctes) > 0 && !w.Caps().WithDML {
		w.Clause(render.ClauseWith)
		w.Unsupported("WITH ... " + stmt)
		return false
	}
	c.write(w)
	return true
}
