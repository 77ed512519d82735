package builder

import (
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// link is expr's plumbing for statements, which expr does not export (see render.Link): the
// writer's clause and scope, sources, assignments, the shape cache.
var link = render.LinkOf[expr.Writer, expr.Source, expr.Assignment, expr.AnyColumn]()

// writeConds writes conds joined by AND, as WHERE and HAVING need them. Groups made with Or
// carry their own parentheses. (Here rather than through link: a slice of a statement's
// inline array passed to a function value would make the statement escape to the heap.)
func writeConds(w *expr.Writer, conds []expr.Cond) {
	for i := range conds {
		if i > 0 {
			w.Text(" AND ")
		}
		conds[i].WriteSQL(w)
	}
}

// writeOrders writes ORDER BY items separated by commas.
func writeOrders(w *expr.Writer, os []expr.Order) {
	for i := range os {
		if i > 0 {
			w.Text(", ")
		}
		os[i].WriteSQL(w)
	}
}
