package builder

import "github.com/typedsql/typedsql/expr"

// ReserveArgs is the writer's room-making hint (render.Link's ReserveArgs), for the external
// tests.
func ReserveArgs(w *expr.Writer, n int) { link.ReserveArgs(w, n) }
