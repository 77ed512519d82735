package builder

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// UpdateStmt is an UPDATE statement. Build it with Update.
type UpdateStmt struct {
	table expr.Source
	x     *updateExt // the rarer parts, allocated on first use
	// Counts rather than slices of the inline arrays, as in SelectStmt: a statement pointing
	// into itself escapes to the heap, and one that does not can live on the caller's stack.
	setBuf  [3]expr.Assignment
	condBuf [1]expr.Cond
	nset    uint8 // assignments in setBuf, when x.set is nil
	ncond   uint8 // conditions in condBuf, when x.conds is nil
	allRows bool  // AllRows: no WHERE is meant
}

type updateExt struct {
	set       []expr.Assignment // all assignments, once they outgrew setBuf
	conds     []expr.Cond       // all conditions, once they outgrew condBuf
	with      with
	from      []expr.Source
	joins     []join // inner joins: JOIN ... ON on MySQL, FROM + WHERE elsewhere
	order     []expr.Order
	limit     limitOffset
	returning returning
}

func (s *UpdateStmt) ext() *updateExt {
	if s.x == nil {
		s.x = &updateExt{}
	}
	return s.x
}

// extOrEmpty is the extension for reading.
func (s *UpdateStmt) extOrEmpty() *updateExt {
	if s.x == nil {
		return &emptyUpdateExt
	}
	return s.x
}

// Update starts UPDATE table.
//
//	builder.Update(Users).Set(Users.Name.Set("ann")).Where(Users.ID.Eq(7))
//	// UPDATE "users" SET "name" = $1 WHERE "id" = $2
func Update(table expr.Target) *UpdateStmt {
	return &UpdateStmt{table: table}
}

// Set adds typed assignments: col.Set(v), col.SetExpr(x), nullable.SetNull().
func (s *UpdateStmt) Set(set ...expr.Assignment) *UpdateStmt {
	if s.x == nil || s.x.set == nil {
		if n := int(s.nset); n+len(set) <= len(s.setBuf) {
			s.nset = uint8(n + len(set))
			push(s.setBuf[n:n], set)
			return s
		}
		x := s.ext()
		x.set = append(make([]expr.Assignment, 0, int(s.nset)+len(set)), s.setBuf[:s.nset]...)
	}
	s.x.set = append(s.x.set, set...)
	return s
}

// assignments is the SET list.
func (s *UpdateStmt) assignments() []expr.Assignment {
	if s.x != nil && s.x.set != nil {
		return s.x.set
	}
	return s.setBuf[:s.nset]
}

// conds is the WHERE conditions.
func (s *UpdateStmt) conds() []expr.Cond {
	if s.x != nil && s.x.conds != nil {
		return s.x.conds
	}
	return s.condBuf[:s.ncond]
}

// From adds other tables the update reads: UPDATE t SET ... FROM other WHERE ... on PostgreSQL
// and SQLite, the multi-table UPDATE t, other SET ... WHERE ... on MySQL. Join says how the
// tables relate in one call.
func (s *UpdateStmt) From(srcs ...expr.Source) *UpdateStmt {
	x := s.ext()
	x.from = push(x.from, srcs)
	return s
}

// Join adds a table the update reads, matched to the updated rows by on: the multi-table
// UPDATE with JOIN on MySQL/MariaDB, and on PostgreSQL and SQLite, whose UPDATE has no JOIN,
// the same statement as FROM other with on leading the WHERE clause.
//
//	builder.Update(o).Set(o.Status.Set("vip")).Join(u, u.ID.EqExpr(o.UserID)).Where(u.Name.Eq("dave"))
//	// MySQL:      UPDATE `orders` AS `o` INNER JOIN `users` AS `u` ON `u`.`id` = `o`.`user_id`
//	//             SET `o`.`status` = ? WHERE `u`.`name` = ?
//	// PostgreSQL: UPDATE "orders" AS "o" SET "status" = $1 FROM "users" AS "u"
//	//             WHERE "u"."id" = "o"."user_id" AND "u"."name" = $2
func (s *UpdateStmt) Join(src expr.Source, on expr.Cond) *UpdateStmt {
	x := s.ext()
	x.joins = addJoin(x.joins, src, on, innerJoin)
	return s
}

// Where adds conditions, ANDed together.
func (s *UpdateStmt) Where(conds ...expr.Cond) *UpdateStmt {
	if s.x == nil || s.x.conds == nil {
		if n := int(s.ncond); n+len(conds) <= len(s.condBuf) {
			s.ncond = uint8(n + len(conds))
			plumb.AppendConds(s.condBuf[n:n], conds...)
			return s
		}
		x := s.ext()
		x.conds = plumb.AppendConds(make([]expr.Cond, 0, int(s.ncond)+len(conds)), s.condBuf[:s.ncond]...)
	}
	s.x.conds = plumb.AppendConds(s.x.conds, conds...)
	return s
}

// AllRows says that an UPDATE without Where is meant to change every row. Without it (and
// without a Where condition, a Join or a Limit), Build fails: a filter list that came out empty must
// not rewrite the whole table.
//
//	builder.Update(Users).Set(Users.Active.Set(false)).AllRows()   // UPDATE "users" SET "active" = $1
func (s *UpdateStmt) AllRows() *UpdateStmt { s.allRows = true; return s }

// OrderBy adds ORDER BY (MySQL only, single-table).
func (s *UpdateStmt) OrderBy(os ...expr.Order) *UpdateStmt {
	x := s.ext()
	x.order = push(x.order, os)
	return s
}

// Limit sets LIMIT n (MySQL only, single-table).
func (s *UpdateStmt) Limit(n int64) *UpdateStmt {
	x := s.ext()
	x.limit.limit, x.limit.hasLimit = n, true
	return s
}

// Returning adds RETURNING items (PostgreSQL, SQLite).
func (s *UpdateStmt) Returning(cols ...expr.Expression) *UpdateStmt {
	x := s.ext()
	x.returning.cols = push(x.returning.cols, cols)
	return s
}

// With adds common table expressions (WITH ... UPDATE; PostgreSQL and SQLite).
func (s *UpdateStmt) With(ctes ...WithQuery) *UpdateStmt { s.ext().with.add(false, ctes); return s }

// Build renders the statement for d.
func (s *UpdateStmt) Build(d dialect.Dialect) (string, []any, error) {
	if s == nil {
		return expr.Render(d, (*UpdateStmt)(nil))
	}
	var k expr.Shape
	if k.For(d) { // else no cache serves d: skip the shape
		s.walkKey(&k)
	}
	return plumb.RenderShaped(d, &k, s.writeWhole)
}

// writeWhole writes the statement as the whole render (Build); WriteSQL runs it nested.
func (s *UpdateStmt) writeWhole(w *expr.Writer) {
	plumb.Frame(w).Clause = render.ClauseUpdate
	s.walkSQL(w)
}

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
	nested(w, s.writeWhole)
}

// emptyUpdateExt stands in for a statement without extension; it is never modified.
var emptyUpdateExt updateExt
