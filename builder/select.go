package builder

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// SelectStmt is a SELECT statement. Build it with Select; it is also a Query usable as a
// subquery (expr.Exists, expr.FromQuery, CTE, Union).
type SelectStmt struct {
	// The parts every query has live here, with inline room for a typical small query, so
	// that SELECT a, b, c FROM t WHERE x = $1 costs one small allocation. Everything else
	// (joins, grouping, ordering, ...) lives in x, allocated on first use, and so do the
	// conditions once they outgrow their inline array (x.where). A select list longer than
	// colBuf moves to cols alone: five or six columns are common, and should not pay for x.
	// Counts rather than slices into the arrays: a slice of the statement's own array would be
	// a pointer to store (a write barrier while the GC marks) and 24 more bytes.
	from     expr.Source
	x        *selectExt
	cols     []expr.Expression // the whole select list, once it outgrew colBuf
	colBuf   [3]expr.Expression
	whereBuf [1]expr.Cond
	ncols    uint8 // items in colBuf, when cols is nil
	nwhere   uint8 // conditions in whereBuf, when x.where is nil
}

type selectExt struct {
	where    []expr.Cond // all conditions, once they outgrew whereBuf
	rare     *selectRare // WITH and further FROM sources, allocated on first use
	joins    []join
	having   []expr.Cond
	group    []expr.Expression
	order    []expr.Order
	limit    limitOffset
	lock     lockClause
	distinct bool

	joinBuf   [1]join
	whereBuf  [4]expr.Cond
	havingBuf [1]expr.Cond
	groupBuf  [2]expr.Expression
	orderBuf  [1]expr.Order
}

// selectRare holds the least used parts, so that selectExt stays within 512 bytes: the
// allocator gives larger objects a header, and every byte of it costs the collector.
type selectRare struct {
	with with
	from []expr.Source // sources after the first
}

// emptyRare stands in for an extension without rare parts; it is never modified.
var emptyRare selectRare

func (x *selectExt) rarePart() *selectRare {
	if x.rare == nil {
		x.rare = &selectRare{}
	}
	return x.rare
}

// rareOrEmpty is the rare parts for reading.
func (x *selectExt) rareOrEmpty() *selectRare {
	if x.rare == nil {
		return &emptyRare
	}
	return x.rare
}

func (s *SelectStmt) ext() *selectExt {
	if s.x == nil {
		x := &selectExt{}
		x.joins = x.joinBuf[:0]
		x.having = x.havingBuf[:0]
		x.group = x.groupBuf[:0]
		x.order = x.orderBuf[:0]
		s.x = x
	}
	return s.x
}

// Select starts SELECT cols. Items are columns, typed expressions, conditions, or aliased
// items (x.As("name")).
//
//	builder.Select(Users.ID, expr.Count(Orders.ID).As("orders"))
func Select(cols ...expr.Expression) *SelectStmt {
	s := &SelectStmt{}
	s.Columns(cols...)
	return s
}

// SelectDistinct starts SELECT DISTINCT cols.
func SelectDistinct(cols ...expr.Expression) *SelectStmt { return Select(cols...).Distinct() }

// Distinct makes it SELECT DISTINCT.
func (s *SelectStmt) Distinct() *SelectStmt { s.ext().distinct = true; return s }

// Columns adds select items.
func (s *SelectStmt) Columns(cols ...expr.Expression) *SelectStmt {
	if s.cols == nil {
		if n := int(s.ncols); n+len(cols) <= len(s.colBuf) {
			s.ncols = uint8(n + len(cols))
			push(s.colBuf[n:n], cols)
			return s
		}
		s.cols = append(make([]expr.Expression, 0, int(s.ncols)+len(cols)), s.colBuf[:s.ncols]...)
	}
	s.cols = append(s.cols, cols...)
	return s
}

// columns is the select list.
func (s *SelectStmt) columns() []expr.Expression {
	if s.cols != nil {
		return s.cols
	}
	return s.colBuf[:s.ncols]
}

// conds is the WHERE conditions.
func (s *SelectStmt) conds() []expr.Cond {
	if s.x != nil && s.x.where != nil {
		return s.x.where
	}
	return s.whereBuf[:s.nwhere]
}

// From adds FROM sources: tables, or derived tables (expr.FromQuery). Several sources are a
// comma (cross) join.
func (s *SelectStmt) From(srcs ...expr.Source) *SelectStmt {
	for _, src := range srcs {
		if s.from == nil {
			s.from = src
		} else {
			x := s.ext()
			r := x.rarePart()
			r.from = append(r.from, src)
		}
	}
	return s
}

func (s *SelectStmt) join(k joinKind, src expr.Source, on expr.Cond) *SelectStmt {
	x := s.ext()
	x.joins = addJoin(x.joins, src, on, k)
	return s
}

// Join adds INNER JOIN src ON on.
func (s *SelectStmt) Join(src expr.Source, on expr.Cond) *SelectStmt {
	return s.join(innerJoin, src, on)
}

// LeftJoin adds LEFT JOIN src ON on.
func (s *SelectStmt) LeftJoin(src expr.Source, on expr.Cond) *SelectStmt {
	return s.join(leftJoin, src, on)
}

// RightJoin adds RIGHT JOIN src ON on.
func (s *SelectStmt) RightJoin(src expr.Source, on expr.Cond) *SelectStmt {
	return s.join(rightJoin, src, on)
}

// FullJoin adds FULL JOIN src ON on (not on MySQL/MariaDB: Build fails).
func (s *SelectStmt) FullJoin(src expr.Source, on expr.Cond) *SelectStmt {
	return s.join(fullJoin, src, on)
}

// CrossJoin adds CROSS JOIN src.
func (s *SelectStmt) CrossJoin(src expr.Source) *SelectStmt {
	return s.join(crossJoin, src, expr.Cond{})
}

// Where adds conditions; all conditions of all Where calls are ANDed together.
func (s *SelectStmt) Where(conds ...expr.Cond) *SelectStmt {
	if s.x == nil || s.x.where == nil {
		if n := int(s.nwhere); n+len(conds) <= len(s.whereBuf) {
			s.nwhere = uint8(n + len(conds))
			expr.AppendConds(s.whereBuf[n:n], conds...)
			return s
		}
		// Move to the extension's larger inline buffer before growing onto the heap.
		x := s.ext()
		x.where = expr.AppendConds(x.whereBuf[:0], s.whereBuf[:s.nwhere]...)
	}
	s.x.where = expr.AppendConds(s.x.where, conds...)
	return s
}

// GroupBy adds GROUP BY expressions.
func (s *SelectStmt) GroupBy(xs ...expr.Expression) *SelectStmt {
	x := s.ext()
	x.group = push(x.group, xs)
	return s
}

// Having adds HAVING conditions, ANDed like Where.
func (s *SelectStmt) Having(conds ...expr.Cond) *SelectStmt {
	x := s.ext()
	x.having = expr.AppendConds(x.having, conds...)
	return s
}

// OrderBy adds ORDER BY items: x.Asc(), x.Desc(), with .NullsFirst()/.NullsLast().
func (s *SelectStmt) OrderBy(os ...expr.Order) *SelectStmt {
	x := s.ext()
	x.order = push(x.order, os)
	return s
}

// Limit sets LIMIT n (written as a literal). A negative n fails to build.
func (s *SelectStmt) Limit(n int64) *SelectStmt {
	x := s.ext()
	x.limit.limit, x.limit.hasLimit = n, true
	return s
}

// Offset sets OFFSET n. Alone, on MySQL and SQLite it is written LIMIT <all> OFFSET n.
func (s *SelectStmt) Offset(n int64) *SelectStmt {
	x := s.ext()
	x.limit.offset, x.limit.hasOffset = n, true
	return s
}

// ForUpdate locks the selected rows: FOR UPDATE (PostgreSQL, MySQL; not SQLite).
func (s *SelectStmt) ForUpdate() *SelectStmt { s.ext().lock.strength = lockUpdate; return s }

// ForShare takes shared row locks: FOR SHARE (LOCK IN SHARE MODE on MariaDB; not SQLite).
func (s *SelectStmt) ForShare() *SelectStmt { s.ext().lock.strength = lockShare; return s }

// SkipLocked adds SKIP LOCKED to FOR UPDATE/FOR SHARE.
func (s *SelectStmt) SkipLocked() *SelectStmt { s.ext().lock.wait = waitSkipLocked; return s }

// NoWait adds NOWAIT to FOR UPDATE/FOR SHARE.
func (s *SelectStmt) NoWait() *SelectStmt { s.ext().lock.wait = waitNoWait; return s }

// With adds common table expressions: WITH name (cols) AS (query) SELECT ...
func (s *SelectStmt) With(ctes ...WithQuery) *SelectStmt {
	s.ext().rarePart().with.add(false, ctes)
	return s
}

// WithRecursive adds common table expressions and makes the clause WITH RECURSIVE.
func (s *SelectStmt) WithRecursive(ctes ...WithQuery) *SelectStmt {
	s.ext().rarePart().with.add(true, ctes)
	return s
}

// Build renders the statement for d.
func (s *SelectStmt) Build(d dialect.Dialect) (string, []any, error) {
	if s == nil {
		return expr.Render(d, (*SelectStmt)(nil))
	}
	return expr.RenderWith(d, s.WriteSQL)
}

// DebugSQL renders the statement with its values inlined, for logs only.
func (s *SelectStmt) DebugSQL(d dialect.Dialect) string { return expr.Debug(d, s) }

// Tables lists the distinct tables the statement reads, including joins and subqueries.
func (s *SelectStmt) Tables() []string { return expr.TablesOf(s) }

// WriteSQL writes the statement (without parentheses; expr wraps subqueries).
func (s *SelectStmt) WriteSQL(w *expr.Writer) { s.write(w, nil) }

// write renders the statement; a non-nil assigns replaces the select list (INSERT ... SELECT).
func (s *SelectStmt) write(w *expr.Writer, assigns []expr.Assignment) {
	if s == nil {
		w.Fail(expr.ErrInvalid, "nil *SelectStmt")
		return
	}
	scope, clause := w.Scope(), w.Clause(expr.ClauseSelect)
	s.writeBody(w, assigns)
	w.RestoreScope(scope)
	w.Clause(clause)
}

func (s *SelectStmt) writeBody(w *expr.Writer, assigns []expr.Assignment) {
	x := s.x
	if x == nil {
		x = &emptyExt
	}
	rare := x.rareOrEmpty()
	rare.with.write(w)
	if s.from != nil && len(rare.from) == 0 && len(x.joins) == 0 {
		w.SetSoleSource(s.from)
	} else {
		w.SetSoleSource(nil)
	}
	w.Clause(expr.ClauseSelect)
	w.Text("SELECT ")
	if x.distinct {
		w.Text("DISTINCT ")
	}
	switch {
	case assigns != nil:
		for i := range assigns {
			if i > 0 {
				w.Text(", ")
			}
			assigns[i].WriteValue(w)
		}
	case len(s.columns()) == 0:
		w.Fail(expr.ErrInvalid, "SELECT with no columns")
		return
	default:
		w.WriteList(s.columns())
	}
	if s.from != nil {
		w.Clause(expr.ClauseFrom)
		w.Text(" FROM ")
		s.from.WriteSource(w)
		if len(rare.from) > 0 {
			w.Text(", ")
			writeSources(w, rare.from)
		}
	}
	for i := range x.joins {
		x.joins[i].write(w)
	}
	if where := s.conds(); len(where) > 0 {
		w.Clause(expr.ClauseWhere)
		w.Text(" WHERE ")
		w.WriteConds(where)
	}
	if len(x.group) > 0 {
		w.Clause(expr.ClauseGroupBy)
		w.Text(" GROUP BY ")
		w.WriteList(x.group)
	}
	if len(x.having) > 0 {
		w.Clause(expr.ClauseHaving)
		w.Text(" HAVING ")
		w.WriteConds(x.having)
	}
	if len(x.order) > 0 {
		w.Clause(expr.ClauseOrderBy)
		w.Text(" ORDER BY ")
		w.WriteOrders(x.order)
	}
	writeLimit(w, &x.limit)
	x.lock.write(w)
}

// emptyExt stands in for a statement without extension; it is never modified.
var emptyExt selectExt

func writeSources(w *expr.Writer, srcs []expr.Source) {
	for i, src := range srcs {
		if i > 0 {
			w.Text(", ")
		}
		if src == nil {
			w.Fail(expr.ErrInvalid, "nil source")
			continue
		}
		src.WriteSource(w)
	}
}

// setOperand reports what a set operation needs to know about an operand.
func (s *SelectStmt) setOperand() (needsParens bool) {
	x := s.x
	return x != nil && (len(x.order) > 0 || x.limit.hasLimit || x.limit.hasOffset ||
		x.lock.strength != lockNone || (x.rare != nil && len(x.rare.with.ctes) > 0))
}
