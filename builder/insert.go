package builder

import (
	"math"
	"strconv"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// InsertStmt is an INSERT statement. Build it with InsertInto.
type InsertStmt struct {
	into expr.Source
	// rows holds the values, row after row, each width wide, once they outgrew rowBuf; until
	// then they are rowBuf[:nvals]. Likewise returning and retBuf[:nret]. Counts rather than
	// slices of the inline arrays, as in SelectStmt: a statement pointing into itself escapes
	// to the heap, and one that does not can live on the caller's stack.
	rows      []expr.Assignment
	width     int32
	nrows     int32
	defaults  bool
	ignore    bool
	nvals     uint8
	nret      uint8
	returning returning
	x         *insertExt // the rarer parts, allocated on first use

	rowBuf [4]expr.Assignment
	retBuf [1]expr.Expression
}

type insertExt struct {
	with     with
	query    *SelectStmt // INSERT ... SELECT; its select list comes from rows[0:width]
	conflict conflict
	err      string
	grow     int // Grow's row count before the first row gave the width; 0 once used
}

func (s *InsertStmt) ext() *insertExt {
	if s.x == nil {
		s.x = &insertExt{}
	}
	return s.x
}

// extOrEmpty is the extension for reading.
func (s *InsertStmt) extOrEmpty() *insertExt {
	if s.x == nil {
		return &emptyInsertExt
	}
	return s.x
}

// conflictAction is what an upsert does on a conflict: nothing declared yet (a plain INSERT,
// or an ON CONFLICT target still waiting for its action), DO NOTHING, or DO UPDATE SET.
type conflictAction uint8

const (
	noAction conflictAction = iota
	doNothing
	doUpdate
)

type conflict struct {
	target   []expr.AnyColumn
	set      []expr.Assignment
	action   conflictAction
	declared bool // OnConflict was called
}

// InsertInto starts INSERT INTO table.
func InsertInto(table expr.Target) *InsertStmt {
	return &InsertStmt{into: table}
}

// addValues appends assignments to the rows.
func (s *InsertStmt) addValues(vals []expr.Assignment) {
	if s.rows == nil {
		if n := int(s.nvals); n+len(vals) <= len(s.rowBuf) {
			s.nvals = uint8(n + len(vals))
			push(s.rowBuf[n:n], vals)
			return
		}
		c := int(s.nvals) + len(vals)
		if x := s.x; x != nil && x.grow > 0 && s.width > 0 {
			c = max(c, capFor(x.grow, int(s.width), 0))
			x.grow = 0
		}
		s.rows = append(make([]expr.Assignment, 0, c), s.rowBuf[:s.nvals]...)
	}
	s.rows = append(s.rows, vals...)
}

// Grow makes room for n more VALUES rows, so that adding them with Values does not copy the
// rows already added into ever larger arrays: for 100,000 rows of 4 columns, appending copies
// about 40 MB more than the 9.6 MB the rows take (bench's BulkInsert). Call it before the
// first row, or at any time after; it changes no SQL:
//
//	ins := builder.InsertInto(Products).Grow(len(products))
//	for _, p := range products {
//		ins.Values(Products.SKU.Set(p.SKU), Products.Price.Set(p.Price))
//	}
//	// INSERT INTO "products" ("sku", "price") VALUES ($1, $2), ($3, $4), ...
//
// It is a hint: n <= 0, or a count whose rows could not be addressed, does nothing.
func (s *InsertStmt) Grow(n int) *InsertStmt {
	if s == nil || n <= 0 {
		return s
	}
	if s.nrows == 0 || s.width == 0 { // the width comes with the first row: size then
		s.ext().grow = n
		return s
	}
	have := len(s.values())
	c := capFor(n, int(s.width), have)
	if c <= cap(s.values()) {
		return s
	}
	s.rows = append(make([]expr.Assignment, 0, c), s.values()...)
	return s
}

// capFor is the capacity of have values plus n rows of width, or have when that overflows.
func capFor(n, width, have int) int {
	if n > (math.MaxInt32-have)/width {
		return have
	}
	return have + n*width
}

// values is every row's assignments, row after row.
func (s *InsertStmt) values() []expr.Assignment {
	if s.rows != nil {
		return s.rows
	}
	return s.rowBuf[:s.nvals]
}

// returningList is the RETURNING clause.
func (s *InsertStmt) returningList() returning {
	if s.returning.cols != nil {
		return s.returning
	}
	return returning{cols: s.retBuf[:s.nret]}
}

// Values adds one row: each assignment gives a column its value, typed by the column.
// Call it once per row; every row must assign the same columns in the same order. For many
// rows, Grow first sizes the statement for them.
//
//	builder.InsertInto(Users).
//		Values(Users.Name.Set("ann"), Users.Email.Set("ann@x.org")).
//		Values(Users.Name.Set("bob"), Users.Email.SetNull())
//	// INSERT INTO "users" ("name", "email") VALUES ($1, $2), ($3, NULL)
func (s *InsertStmt) Values(row ...expr.Assignment) *InsertStmt {
	if s.nrows == 0 {
		s.width = int32(len(row))
	} else if len(row) != int(s.width) && (s.x == nil || s.x.err == "") {
		s.ext().err = "VALUES row " + strconv.Itoa(int(s.nrows)+1) + " has " + strconv.Itoa(len(row)) +
			" values, row 1 has " + strconv.Itoa(int(s.width))
	}
	s.addValues(row)
	s.nrows++
	return s
}

// FromSelect makes it INSERT INTO table (cols) SELECT exprs FROM ...: each assignment pairs a
// target column with the source expression of the same type, and the SELECT's own list must be
// empty (builder.Select()).
//
//	builder.InsertInto(Archive).FromSelect(
//		builder.Select().From(Users).Where(Users.Active.Eq(false)),
//		Archive.ID.SetExpr(Users.ID), Archive.Name.SetExpr(Users.Name))
//	// INSERT INTO "archive" ("id", "name") SELECT "id", "name" FROM "users" WHERE "active" = $1
func (s *InsertStmt) FromSelect(q *SelectStmt, cols ...expr.Assignment) *InsertStmt {
	x := s.ext()
	x.query = q
	if q == nil && x.err == "" {
		x.err = "INSERT ... SELECT without a SELECT (FromSelect(nil, ...))"
	}
	s.rows, s.nvals = nil, 0
	s.addValues(cols)
	s.width, s.nrows = int32(len(cols)), 1
	return s
}

// DefaultValues inserts one row of defaults: INSERT INTO t DEFAULT VALUES
// (INSERT INTO t () VALUES () on MySQL).
func (s *InsertStmt) DefaultValues() *InsertStmt { s.defaults = true; return s }

// Ignore skips rows that violate a unique key: INSERT IGNORE on MySQL, INSERT OR IGNORE on
// SQLite, ON CONFLICT DO NOTHING on PostgreSQL. (MySQL's IGNORE also downgrades some other
// errors to warnings.)
func (s *InsertStmt) Ignore() *InsertStmt { s.ignore = true; return s }

// OnConflict names the unique columns whose conflict triggers DoNothing or DoUpdate:
// ON CONFLICT ("email") on PostgreSQL and SQLite.
//
// On MySQL and MariaDB the conflict target is ignored: their upsert, ON DUPLICATE KEY UPDATE,
// has no per-constraint target and fires on a duplicate in ANY unique index or the primary
// key, not only in the columns named here. The columns are not checked against the table's
// keys there; DoNothing uses the first one only for its no-op assignment (c = c).
func (s *InsertStmt) OnConflict(cols ...expr.AnyColumn) *InsertStmt {
	x := s.ext()
	x.conflict.target = push(x.conflict.target, cols)
	x.conflict.declared = true
	return s
}

// DoNothing keeps the existing row on conflict: ON CONFLICT (...) DO NOTHING; on MySQL
// ON DUPLICATE KEY UPDATE c = c with the first conflict column, for a conflict with any unique
// key (see OnConflict).
func (s *InsertStmt) DoNothing() *InsertStmt { s.ext().conflict.action = doNothing; return s }

// DoUpdate updates the existing row on conflict: ON CONFLICT (...) DO UPDATE SET ...; on MySQL
// ON DUPLICATE KEY UPDATE ..., which fires on a conflict with any unique key (see OnConflict).
// Use expr.Excluded(col) for the value the INSERT proposed.
func (s *InsertStmt) DoUpdate(set ...expr.Assignment) *InsertStmt {
	x := s.ext()
	x.conflict.action = doUpdate
	x.conflict.set = push(x.conflict.set, set)
	return s
}

// Returning adds RETURNING items (PostgreSQL, SQLite, MariaDB; not MySQL).
func (s *InsertStmt) Returning(cols ...expr.Expression) *InsertStmt {
	if s.returning.cols == nil {
		if n := int(s.nret); n+len(cols) <= len(s.retBuf) {
			s.nret = uint8(n + len(cols))
			push(s.retBuf[n:n], cols)
			return s
		}
		s.returning.cols = append(make([]expr.Expression, 0, int(s.nret)+len(cols)), s.retBuf[:s.nret]...)
	}
	s.returning.cols = append(s.returning.cols, cols...)
	return s
}

// With adds common table expressions (WITH ... INSERT; PostgreSQL and SQLite).
func (s *InsertStmt) With(ctes ...WithQuery) *InsertStmt { s.ext().with.add(false, ctes); return s }

// Build renders the statement for d.
func (s *InsertStmt) Build(d dialect.Dialect) (string, []any, error) {
	if s == nil {
		return expr.Render(d, (*InsertStmt)(nil))
	}
	var k expr.Shape
	if k.For(d) { // else no cache serves d: skip the shape
		s.walkKey(&k)
	}
	return plumb.RenderShaped(d, &k, s.writeWhole)
}

// writeWhole writes the statement as the whole render (Build); WriteSQL runs it nested.
func (s *InsertStmt) writeWhole(w *expr.Writer) {
	plumb.Frame(w).Clause = render.ClauseInsert
	s.walkSQL(w)
}

// DebugSQL renders the statement with its values inlined, for logs only.
func (s *InsertStmt) DebugSQL(d dialect.Dialect) string { return expr.Debug(d, s) }

// Tables lists the table written and the tables an INSERT ... SELECT reads.
func (s *InsertStmt) Tables() []string {
	if t := s.onlyTarget(); t != "" {
		return []string{t}
	}
	return expr.TablesOf(s)
}

// onlyTarget is the target's TableName when it is the only table the statement can name:
// rows of plain values (Set, SetNull, SetDefault) and nothing else that could hold a query.
// Tables then need not render the statement, which for 100,000 rows rendered their 400,000
// arguments only to throw them away (54 MB an op of bench's BulkInsert/postgres/typedsql-copy,
// half its allocation, since CopyFrom routes by Tables). "" means: render to find out.
func (s *InsertStmt) onlyTarget() string {
	if s == nil || s.into == nil || s.nrows == 0 || s.defaults || len(s.returningList().cols) > 0 {
		return ""
	}
	if x := s.x; x != nil && (x.err != "" || x.query != nil || len(x.with.ctes) > 0 || len(x.conflict.set) > 0) {
		return ""
	}
	for _, a := range s.values() {
		if plumb.AssignedArgs(a) < 0 { // an expression: it may read tables
			return ""
		}
	}
	return s.into.TableName()
}

// WriteSQL writes the statement.
func (s *InsertStmt) WriteSQL(w *expr.Writer) {
	if s == nil {
		w.Fail(expr.ErrInvalid, "nil *InsertStmt")
		return
	}
	nested(w, s.writeWhole)
}

// emptyInsertExt stands in for a statement without extension; it is never modified.
var emptyInsertExt insertExt

func (s *InsertStmt) writeConflict(w *expr.Writer, f *render.Frame, cf *conflict) {
	c := w.Caps()
	pgIgnore := s.ignore && !c.InsertIgnore && !c.InsertOrIgnore && c.Upsert == dialect.UpsertOnConflict
	if cf.action == noAction && !pgIgnore {
		if cf.declared {
			f.SetClause(render.ClauseOnConflict)
			w.Fail(expr.ErrInvalid, "OnConflict without DoNothing or DoUpdate")
		}
		return
	}
	f.SetClause(render.ClauseOnConflict)
	if cf.action != noAction && s.ignore {
		w.Fail(expr.ErrInvalid, "both Ignore and OnConflict")
		return
	}
	for _, t := range cf.target {
		if !plumb.ColumnOfSource(t, s.into) {
			w.Fail(expr.ErrInvalid, "conflict column "+quoteName(columnName(t))+" is not a column of "+targetName(s.into))
			return
		}
	}
	if cf.action == doUpdate {
		if len(cf.set) == 0 {
			w.Fail(expr.ErrInvalid, "DoUpdate with no assignments")
			return
		}
		checkAssignments(w, s.into, cf.set)
	}
	switch c.Upsert {
	case dialect.UpsertOnConflict:
		w.Text(" ON CONFLICT")
		if len(cf.target) > 0 {
			w.Text(" (")
			for i, t := range cf.target {
				if i > 0 {
					w.Text(", ")
				}
				plumb.WriteColumnName(w, t)
			}
			w.Char(')')
		} else if cf.action == doUpdate {
			w.Fail(expr.ErrInvalid, "DoUpdate needs the conflict columns: OnConflict(cols...)")
			return
		}
		if cf.action == doUpdate {
			w.Text(" DO UPDATE SET ")
			// Both the existing row and EXCLUDED are in scope here, so PostgreSQL rejects an
			// unqualified column as ambiguous: qualify every column of the values.
			plumb.SetSoleSource(w, nil)
			plumb.WalkSetSQL(w, cf.set, false)
		} else {
			w.Text(" DO NOTHING")
		}
	case dialect.UpsertOnDuplicateKey:
		w.Text(" ON DUPLICATE KEY UPDATE ")
		if cf.action == doUpdate {
			plumb.WalkSetSQL(w, cf.set, false)
			return
		}
		// DO NOTHING: a no-op assignment keeps the existing row and, unlike INSERT IGNORE,
		// leaves other errors errors.
		var col expr.AnyColumn
		if len(cf.target) > 0 {
			col = cf.target[0]
		}
		if col == nil {
			w.Fail(expr.ErrInvalid, "DoNothing on MySQL needs a conflict column: OnConflict(col)")
			return
		}
		plumb.WriteColumnName(w, col)
		w.Text(" = ")
		plumb.WriteColumnName(w, col)
	default:
		w.Unsupported("upsert")
	}
}

func columnName(c expr.AnyColumn) string {
	if c == nil {
		return ""
	}
	return c.ColumnName()
}
