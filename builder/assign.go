package builder

import "github.com/typedsql/typedsql/expr"

// The checks on the assignments of INSERT, UPDATE and an upsert's DO UPDATE SET: that each
// assigned column belongs to the statement's target, and that none is assigned twice.

// checkAssignments reports assignments whose column is not a column of target, and a column
// assigned twice.
func checkAssignments(w *expr.Writer, target expr.Source, as []expr.Assignment) {
	for i, a := range as {
		if target != nil && !plumb.BelongsTo(a, target) {
			w.Fail(expr.ErrInvalid, "column "+quoteName(a.QualifiedName())+" is not a column of the target "+targetName(target))
			return
		}
		for _, b := range as[:i] {
			if plumb.SameColumn(a, b) {
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
