package builder

import "github.com/typedsql/typedsql/expr"

// ReserveArgs is the writer's room-making hint (expr.Plumbing's ReserveArgs), for the external
// tests.
func ReserveArgs(w *expr.Writer, n int) { plumb.ReserveArgs(w, n) }
