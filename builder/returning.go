package builder

import (
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// returning is the RETURNING clause of INSERT, UPDATE and DELETE.
type returning struct {
	cols []expr.Expression
}

func (r *returning) write(w *expr.Writer, f *render.Frame, supported bool, stmt string) {
	if len(r.cols) == 0 {
		return
	}
	f.SetClause(render.ClauseReturning)
	if !supported {
		w.Unsupported(stmt + " ... RETURNING")
		return
	}
	w.Text(" RETURNING ")
	w.WriteList(r.cols)
}
