package builder

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// UpdateStmt is an UPDATE statement. Build it with Update.
type UpdateStmt struct {
	with      with
	table     expr.Source
	set       []expr.Assignment
	from      []expr.Source
	conds     []expr.Cond
	order     []expr.Order
	limit     limitOffset
	returning returning

	setBuf  [4]expr.Assignment
	condBuf [2]expr.Cond
}

// Update starts UPDATE table.
//
//	builder.Update(Users).Set(Users.Name.Set("ann")).Where(Users.ID.Eq(7))
//	// UPDATE "users" SET "name" = $1 WHERE "id" = $2
func Update(table expr.Source) *UpdateStmt {
	s := &UpdateStmt{table: table}
	s.set = s.setBuf[:0]
	s.conds = s.condBuf[:0]
	return s
}

// Set adds typed assignments: col.Set(v), col.SetExpr(x), nullable.SetNull().
func (s *UpdateStmt) Set(set ...expr.Assignment) *UpdateStmt {
	s.set = append(s.set, set...)
	return s
}

// From adds other tables the update reads: UPDATE t SET ... FROM other WHERE ... on PostgreSQL
// and SQLite, the multi-table UPDATE t, other SET ... WHERE ... on MySQL.
func (s *UpdateStmt) From(srcs ...expr.Source) *UpdateStmt {
	s.from = append(s.from, srcs...)
	return s
}

// Where adds conditions, ANDed together.
func (s *UpdateStmt) Where(conds ...expr.Cond) *UpdateStmt {
	s.conds = append(s.conds, conds...)
	return s
}

// OrderBy adds ORDER BY (MySQL only, single-table).
func (s *UpdateStmt) OrderBy(os ...expr.Order) *UpdateStmt {
	s.order = append(s.order, os...)
	return s
}

// Limit sets LIMIT n (MySQL only, single-table).
func (s *UpdateStmt) Limit(n int64) *UpdateStmt {
	s.limit.limit, s.limit.hasLimit = n, true
	return s
}

// Returning adds RETURNING items (PostgreSQL, SQLite).
func (s *UpdateStmt) Returning(cols ...expr.Expression) *UpdateStmt {
	s.returning.cols = append(s.returning.cols, cols...)
	return s
}

// With adds common table expressions (WITH ... UPDATE; PostgreSQL and SQLite).
func (s *UpdateStmt) With(ctes ...WithQuery) *UpdateStmt { s.with.add(false, ctes); return s }

// Build renders the statement for d.
func (s *UpdateStmt) Build(d dialect.Dialect) (string, []any, error) { return expr.Render(d, s) }

// DebugSQL renders the statement with its values inlined, for logs only.
func (s *UpdateStmt) DebugSQL(d dialect.Dialect) string { return expr.Debug(d, s) }

// Tables lists the table updated and the tables the statement reads.
func (s *UpdateStmt) Tables() []string { return expr.TablesOf(s) }

// WriteSQL writes the statement.
func (s *UpdateStmt) WriteSQL(w *expr.Writer) {
	if s == nil {
		w.Fail(expr.ErrInvalid, "nil *UpdateStmt")
		return
	}
	scope, clause := w.Scope(), w.Clause("UPDATE")
	defer func() { w.RestoreScope(scope); w.Clause(clause) }()
	c := w.Caps()
	switch {
	case s.table == nil:
		w.Fail(expr.ErrInvalid, "UPDATE without a table")
		return
	case len(s.set) == 0:
		w.Clause("SET")
		w.Fail(expr.ErrInvalid, "UPDATE with no SET assignments")
		return
	}
	if !s.with.writeDML(w, "UPDATE") {
		return
	}
	multi := len(s.from) > 0
	if multi {
		w.SetSoleSource(nil)
	} else {
		w.SetSoleSource(s.table)
	}
	w.Clause("UPDATE")
	w.Text("UPDATE ")
	s.table.WriteSource(w)
	joined := false // MySQL: the other tables are part of the table list
	if multi {
		switch {
		case c.UpdateFrom:
		case c.UpdateJoin:
			joined = true
			w.Text(", ")
			writeSources(w, s.from)
		default:
			w.Clause("FROM")
			w.Unsupported("UPDATE with other tables")
			return
		}
	}
	w.Clause("SET")
	checkAssignments(w, s.table, s.set)
	w.Text(" SET ")
	writeSet(w, s.set, joined)
	if multi && !joined {
		w.Clause("FROM")
		w.Text(" FROM ")
		writeSources(w, s.from)
	}
	if len(s.conds) > 0 {
		w.Clause("WHERE")
		w.Text(" WHERE ")
		w.WriteConds(s.conds)
	}
	writeOrderLimit(w, s.order, &s.limit, c.UpdateLimit && !multi, "UPDATE")
	s.returning.write(w, c.UpdateReturning, "UPDATE")
}

// writeOrderLimit writes the ORDER BY and LIMIT of an UPDATE or DELETE, which only some
// engines allow.
func writeOrderLimit(w *expr.Writer, order []expr.Order, l *limitOffset, ok bool, stmt string) {
	if len(order) == 0 && !l.hasLimit {
		return
	}
	if !ok {
		if len(order) > 0 {
			w.Clause("ORDER BY")
		} else {
			w.Clause("LIMIT")
		}
		w.Unsupported(stmt + " ... ORDER BY/LIMIT (or with several tables)")
		return
	}
	if len(order) > 0 {
		w.Clause("ORDER BY")
		w.Text(" ORDER BY ")
		w.WriteOrders(order)
	}
	writeLimit(w, l)
}
