package builder

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// DeleteStmt is a DELETE statement. Build it with DeleteFrom.
type DeleteStmt struct {
	with      with
	table     expr.Source
	using     []expr.Source
	conds     []expr.Cond
	order     []expr.Order
	limit     limitOffset
	returning returning
	allRows   bool // AllRows: no WHERE is meant

	condBuf [2]expr.Cond
}

// DeleteFrom starts DELETE FROM table.
//
//	builder.DeleteFrom(Users).Where(Users.ID.Eq(7))   // DELETE FROM "users" WHERE "id" = $1
func DeleteFrom(table expr.Target) *DeleteStmt {
	s := &DeleteStmt{table: table}
	s.conds = s.condBuf[:0]
	return s
}

// Using adds tables the WHERE clause may refer to: DELETE FROM t USING other on PostgreSQL,
// the multi-table DELETE t FROM t, other on MySQL (SQLite has neither: use a subquery).
func (s *DeleteStmt) Using(srcs ...expr.Source) *DeleteStmt {
	s.using = push(s.using, srcs)
	return s
}

// Where adds conditions, ANDed together.
func (s *DeleteStmt) Where(conds ...expr.Cond) *DeleteStmt {
	s.conds = plumb.AppendConds(s.conds, conds...)
	return s
}

// AllRows says that a DELETE without Where is meant to delete every row. Without it (or a
// Where condition or a Limit), Build fails: a filter list that came out empty must not empty the table.
//
//	builder.DeleteFrom(Sessions).AllRows()   // DELETE FROM "sessions"
func (s *DeleteStmt) AllRows() *DeleteStmt { s.allRows = true; return s }

// OrderBy adds ORDER BY (MySQL only, single-table).
func (s *DeleteStmt) OrderBy(os ...expr.Order) *DeleteStmt {
	s.order = push(s.order, os)
	return s
}

// Limit sets LIMIT n (MySQL only, single-table).
func (s *DeleteStmt) Limit(n int64) *DeleteStmt {
	s.limit.limit, s.limit.hasLimit = n, true
	return s
}

// Returning adds RETURNING items (PostgreSQL, SQLite, MariaDB; not MySQL).
func (s *DeleteStmt) Returning(cols ...expr.Expression) *DeleteStmt {
	s.returning.cols = push(s.returning.cols, cols)
	return s
}

// With adds common table expressions (WITH ... DELETE; PostgreSQL and SQLite).
func (s *DeleteStmt) With(ctes ...WithQuery) *DeleteStmt { s.with.add(false, ctes); return s }

// Build renders the statement for d.
func (s *DeleteStmt) Build(d dialect.Dialect) (string, []any, error) {
	if s == nil {
		return expr.Render(d, (*DeleteStmt)(nil))
	}
	var k expr.Shape
	if k.For(d) { // else no cache serves d: skip the shape
		s.walkKey(&k)
	}
	return plumb.RenderShaped(d, &k, s.writeWhole)
}

// writeWhole writes the statement as the whole render (Build); WriteSQL runs it nested.
func (s *DeleteStmt) writeWhole(w *expr.Writer) {
	plumb.Frame(w).Clause = render.ClauseDelete
	s.walkSQL(w)
}

// DebugSQL renders the statement with its values inlined, for logs only.
func (s *DeleteStmt) DebugSQL(d dialect.Dialect) string { return expr.Debug(d, s) }

// Tables lists the table deleted from and the tables the statement reads.
func (s *DeleteStmt) Tables() []string { return expr.TablesOf(s) }

// WriteSQL writes the statement.
func (s *DeleteStmt) WriteSQL(w *expr.Writer) {
	if s == nil {
		w.Fail(expr.ErrInvalid, "nil *DeleteStmt")
		return
	}
	nested(w, s.writeWhole)
}
