package builder

import "github.com/typedsql/typedsql/expr"

// plumb is what the statements use of package expr beyond its application API: the walks of
// their parts, the shape cache, the writer's frame (see expr.Plumbing).
var plumb = expr.Plumbing

// nested runs write, a statement's writing walk, inside an enclosing render (a subquery, INSERT
// ... SELECT, a CTE's body, Render or TablesOf of the statement): the frame, which the walk
// sets for its own clauses and scope, is given back afterwards. Build needs none of this: the
// statement is the whole render (see SelectStmt.writeWhole).
func nested(w *expr.Writer, write func(*expr.Writer)) {
	f := plumb.Frame(w)
	saved := *f
	write(w)
	*f = saved
}
