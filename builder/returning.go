package builder

import "github.com/typedsql/typedsql/expr"

// returning is the RETURNING clause of INSERT, UPDATE and DELETE.
type returning struct {
	cols []expr.Expression
}

func (r *returning) write(w *expr.Writer, supported bool, stmt string) {
	if len(r.cols) == 0 {
		return
	}
	w.Clause(expr.ClauseReturning)
	if !supported {
		w.Unsupported(stmt + " ... RETURNING")
		return
	}
	w.Text(" RETURNING ")
	w.WriteList(r.cols)
}

// checkAssignments reports assignments whose column is not a column of target, and a column
// assigned twice.
func checkAssignments(w *expr.Writer, target expr.Source, as []expr.Assignment) {
	for i, a := range as {
		if target != nil && !a.BelongsTo(target) {
			w.Fail(expr.ErrInvalid, "column "+quoteName(a.QualifiedName())+" is not a column of the target "+targetName(target))
			return
		}
		for _, b := range as[:i] {
			if a.SameColumn(b) {
				w.Fail(expr.ErrInvalid, "column "+quoteName(a.ColumnName())+" assigned twice")
				return
			}
		}
	}
}

func targetName(t expr.Source) string {
	if n := t.TableName(); n != "" {
		return quoteName(n)
	}
	return "the target table"
}

func quoteName(s string) string { return `"` + s + `"` }
