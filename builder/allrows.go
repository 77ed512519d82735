package builder

import (
	"strconv"

	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// failUnrestricted fails w for an UPDATE or DELETE that has nothing restricting its rows (no
// WHERE condition, JOIN or LIMIT) and was not told AllRows: a filter list that came out empty must
// not change or delete the whole table.
func failUnrestricted(w *expr.Writer, stmt, verb string, table expr.Source) {
	name := table.TableName()
	if name != "" {
		name = strconv.Quote(name) + " "
	}
	plumb.Frame(w).SetClause(render.ClauseWhere)
	w.Fail(expr.ErrInvalid, stmt+" "+name+"without WHERE would "+verb+
		" every row: add Where(...), or call AllRows() if every row is meant")
}
