package builder

import (
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// link is expr's plumbing for statements, which expr does not export (see render.Link): the
// CTE, conflict-target and batching helpers.
var link = render.LinkOf[expr.Writer, expr.Source, expr.Assignment, expr.AnyColumn]()
