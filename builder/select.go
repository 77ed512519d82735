package builder

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// SelectStmt is a SELECT statement. Build it with Select; it is also a Query usable as a
// subquery (expr.Exists, expr.FromQuery, CTE, Union).
type SelectStmt struct {
	// Every list lives in an inline array sized for a typical query, so that a statement
	// built and rendered in one expression (Q2 of the benchmark: a join, three conditions,
	// grouping, HAVING, ORDER BY, LIMIT) lives on the caller's stack and allocates nothing.
	// Lists that outgrow their array, WITH, and further FROM sources live in x, allocated on
	// first use. Select lists of five or six columns are common, so they fit.
	from     expr.Source
	x        *selectExt
	cols     inline[expr.Expression, [6]expr.Expression]
	where    inline[expr.Cond, [3]expr.Cond]
	joins    inline[join, [1]join]
	group    inline[expr.Expression, [2]expr.Expression]
	having   inline[expr.Cond, [1]expr.Cond]
	order    inline[expr.Order, [1]expr.Order]
	limit    limitOffset
	lock     lockClause
	distinct bool
}

// selectExt is the rarely used parts of a SELECT, and the lists that outgrew their arrays.
type selectExt struct {
	with   with
	from   []expr.Source // sources after the first
	cols   []expr.Expression
	where  []expr.Cond
	joins  []join
	group  []expr.Expression
	having []expr.Cond
	order  []expr.Order
}

// emptyExt stands in for a statement without extension; it is never modified.
var emptyExt selectExt

func (s *SelectStmt) ext() *selectExt {
	if s.x == nil {
		s.x = &selectExt{}
	}
	return s.x
}

// extOrEmpty is the extension for reading.
func (s *SelectStmt) extOrEmpty() *selectExt {
	if s.x == nil {
		return &emptyExt
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
func (s *SelectStmt) Distinct() *SelectStmt { s.distinct = true; return s }

// Columns adds select items.
func (s *SelectStmt) Columns(cols ...expr.Expression) *SelectStmt {
	if !s.cols.add(cols) {
		s.cols.spill(&s.ext().cols, cols)
	}
	return s
}

// columns is the select list.
func (s *SelectStmt) columns() []expr.Expression {
	return s.cols.items(s.cols.buf[:], &s.extOrEmpty().cols)
}

// From adds FROM sources: tables, or derived tables (expr.FromQuery). Several sources are a
// comma (cross) join.
func (s *SelectStmt) From(srcs ...expr.Source) *SelectStmt {
	for _, src := range srcs {
		if s.from == nil {
			s.from = src
		} else {
			x := s.ext()
			x.from = append(x.from, src)
		}
	}
	return s
}

func (s *SelectStmt) join(k joinKind, src expr.Source, on expr.Cond) *SelectStmt {
	j := []join{{src: src, kind: k, on: [1]expr.Cond{on}}}
	if !s.joins.add(j) {
		s.joins.spill(&s.ext().joins, j)
	}
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
	if !s.where.add(conds) {
		s.where.spill(&s.ext().where, conds)
	}
	return s
}

// GroupBy adds GROUP BY expressions.
func (s *SelectStmt) GroupBy(xs ...expr.Expression) *SelectStmt {
	if !s.group.add(xs) {
		s.group.spill(&s.ext().group, xs)
	}
	return s
}

// Having adds HAVING conditions, ANDed like Where.
func (s *SelectStmt) Having(conds ...expr.Cond) *SelectStmt {
	if !s.having.add(conds) {
		s.having.spill(&s.ext().having, conds)
	}
	return s
}

// OrderBy adds ORDER BY items: x.Asc(), x.Desc(), with .NullsFirst()/.NullsLast().
func (s *SelectStmt) OrderBy(os ...expr.Order) *SelectStmt {
	if !s.order.add(os) {
		s.order.spill(&s.ext().order, os)
	}
	return s
}

// Limit sets LIMIT n (written as a literal). A negative n fails to build.
func (s *SelectStmt) Limit(n int64) *SelectStmt {
	s.limit.limit, s.limit.hasLimit = n, true
	return s
}

// Offset sets OFFSET n. Alone, on MySQL and SQLite it is written LIMIT <all> OFFSET n.
func (s *SelectStmt) Offset(n int64) *SelectStmt {
	s.limit.offset, s.limit.hasOffset = n, true
	return s
}

// ForUpdate locks the selected rows: FOR UPDATE (PostgreSQL, MySQL; not SQLite).
func (s *SelectStmt) ForUpdate() *SelectStmt { s.lock.strength = lockUpdate; return s }

// ForShare takes shared row locks: FOR SHARE (LOCK IN SHARE MODE on MariaDB; not SQLite).
func (s *SelectStmt) ForShare() *SelectStmt { s.lock.strength = lockShare; return s }

// SkipLocked adds SKIP LOCKED to FOR UPDATE/FOR SHARE.
func (s *SelectStmt) SkipLocked() *SelectStmt { s.lock.wait = waitSkipLocked; return s }

// NoWait adds NOWAIT to FOR UPDATE/FOR SHARE.
func (s *SelectStmt) NoWait() *SelectStmt { s.lock.wait = waitNoWait; return s }

// With adds common table expressions: WITH name (cols) AS (query) SELECT ...
func (s *SelectStmt) With(ctes ...WithQuery) *SelectStmt {
	s.ext().with.add(false, ctes)
	return s
}

// WithRecursive adds common table expressions and makes the clause WITH RECURSIVE.
func (s *SelectStmt) WithRecursive(ctes ...WithQuery) *SelectStmt {
	s.ext().with.add(true, ctes)
	return s
}

// Build renders the statement for d.
func (s *SelectStmt) Build(d dialect.Dialect) (string, []any, error) {
	if s == nil {
		return expr.Render(d, (*SelectStmt)(nil))
	}
	var k expr.Shape
	if k.For(d) { // else no cache serves d: skip the shape
		s.walkKey(&k, nil)
	}
	return plumb.RenderShaped(d, &k, s.writeWhole)
}

// writeWhole writes the statement as the whole render (Build): it sets its clause and walks,
// and leaves the frame as it is, which the writer resets when the render ends; a statement
// inside another is written through nested, which gives the frame back (callgrind,
// BenchmarkRender, instructions per build+render, against saving and restoring it here too:
// first render Q1 2663 -> 2637, Q2 6384 -> 6358, Q4 3584 -> 3539; uncacheable Q1 2089 ->
// 2062, Q2 5367 -> 5339).
func (s *SelectStmt) writeWhole(w *expr.Writer) {
	plumb.Frame(w).Clause = render.ClauseSelect
	s.walkSQL(w, nil)
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
	nested(w, func(w *expr.Writer) {
		plumb.Frame(w).Clause = render.ClauseSelect
		s.walkSQL(w, assigns)
	})
}

func writeSources(w *expr.Writer, srcs []expr.Source) {
	for i, src := range srcs {
		if i > 0 {
			w.Text(", ")
		}
		if src == nil {
			w.Fail(expr.ErrInvalid, "nil source")
			continue
		}
		plumb.WriteSource(w, src)
	}
}

// setOperand reports what a set operation needs to know about an operand.
func (s *SelectStmt) setOperand() (needsParens bool) {
	return s.order.len(s.extOrEmpty().order) > 0 || s.limit.hasLimit || s.limit.hasOffset ||
		s.lock.strength != lockNone || len(s.extOrEmpty().with.ctes) > 0
}
