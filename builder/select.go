package builder

import (
	"strconv"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// SelectStmt is a SELECT statement. Build it with Select; it is also a Query usable as a
// subquery (expr.Exists, expr.FromQuery, CTE, Union).
type SelectStmt struct {
	with     with
	distinct bool
	cols     []expr.Expression
	from     []expr.Source
	joins    []join
	conds    []clauseCond // WHERE and HAVING, in call order
	group    []expr.Expression
	order    []expr.Order
	limit    limitOffset
	lock     lockClause
	err      string // set by a method given an invalid argument; reported by Build

	// Inline storage for the common small statement, so that building one costs a single
	// allocation (the statement itself).
	colBuf   [4]expr.Expression
	fromBuf  [1]expr.Source
	joinBuf  [1]join
	condBuf  [4]clauseCond
	groupBuf [2]expr.Expression
	orderBuf [1]expr.Order
}

type clauseCond struct {
	expr.Cond
	having bool
}

type joinKind uint8

const (
	innerJoin joinKind = iota
	leftJoin
	rightJoin
	fullJoin
	crossJoin
)

var joinText = [...]string{
	innerJoin: " INNER JOIN ", leftJoin: " LEFT JOIN ", rightJoin: " RIGHT JOIN ",
	fullJoin: " FULL JOIN ", crossJoin: " CROSS JOIN ",
}

type join struct {
	src  expr.Source
	on   expr.Cond
	kind joinKind
}

type limitOffset struct {
	limit, offset       int64
	hasLimit, hasOffset bool
}

func (l *limitOffset) write(w *expr.Writer) {
	if l.hasLimit {
		w.Text(" LIMIT ")
		w.Int(l.limit)
	} else if l.hasOffset && w.Caps().LimitAll != "" {
		// MySQL and SQLite have no OFFSET without LIMIT.
		w.Text(" LIMIT ")
		w.Text(w.Caps().LimitAll)
	}
	if l.hasOffset {
		w.Text(" OFFSET ")
		w.Int(l.offset)
	}
}

type lockStrength uint8

const (
	lockNone lockStrength = iota
	lockUpdate
	lockShare
)

type lockWait uint8

const (
	waitDefault lockWait = iota
	waitSkipLocked
	waitNoWait
)

type lockClause struct {
	strength lockStrength
	wait     lockWait
}

func (l lockClause) write(w *expr.Writer) {
	if l.strength == lockNone {
		if l.wait != waitDefault {
			w.Fail(expr.ErrInvalid, "SKIP LOCKED or NOWAIT without FOR UPDATE or FOR SHARE")
		}
		return
	}
	prev := w.Clause("FOR UPDATE")
	c := w.Caps()
	switch {
	case !c.ForUpdate:
		w.Unsupported("SELECT ... FOR UPDATE/FOR SHARE (row locks)")
	case l.strength == lockUpdate:
		w.Text(" FOR UPDATE")
	case c.LockInShareMode:
		w.Text(" LOCK IN SHARE MODE")
	default:
		w.Text(" FOR SHARE")
	}
	switch l.wait {
	case waitSkipLocked, waitNoWait:
		if !c.SkipLocked {
			w.Unsupported("SKIP LOCKED / NOWAIT")
		} else if l.wait == waitSkipLocked {
			w.Text(" SKIP LOCKED")
		} else {
			w.Text(" NOWAIT")
		}
	}
	w.Clause(prev)
}

// Select starts SELECT cols. Items are columns, typed expressions, conditions, or aliased
// items (x.As("name")).
//
//	builder.Select(Users.ID, expr.Count(Orders.ID).As("orders"))
func Select(cols ...expr.Expression) *SelectStmt {
	s := &SelectStmt{}
	s.cols = append(s.colBuf[:0], cols...)
	s.from = s.fromBuf[:0]
	s.joins = s.joinBuf[:0]
	s.conds = s.condBuf[:0]
	s.group = s.groupBuf[:0]
	s.order = s.orderBuf[:0]
	return s
}

// SelectDistinct starts SELECT DISTINCT cols.
func SelectDistinct(cols ...expr.Expression) *SelectStmt { return Select(cols...).Distinct() }

// Distinct makes it SELECT DISTINCT.
func (s *SelectStmt) Distinct() *SelectStmt { s.distinct = true; return s }

// Columns adds select items.
func (s *SelectStmt) Columns(cols ...expr.Expression) *SelectStmt {
	s.cols = append(s.cols, cols...)
	return s
}

// From adds FROM sources: tables, or derived tables (expr.FromQuery). Several sources are a
// comma (cross) join.
func (s *SelectStmt) From(srcs ...expr.Source) *SelectStmt {
	s.from = append(s.from, srcs...)
	return s
}

// Join adds INNER JOIN src ON on.
func (s *SelectStmt) Join(src expr.Source, on expr.Cond) *SelectStmt {
	s.joins = append(s.joins, join{src, on, innerJoin})
	return s
}

// LeftJoin adds LEFT JOIN src ON on.
func (s *SelectStmt) LeftJoin(src expr.Source, on expr.Cond) *SelectStmt {
	s.joins = append(s.joins, join{src, on, leftJoin})
	return s
}

// RightJoin adds RIGHT JOIN src ON on.
func (s *SelectStmt) RightJoin(src expr.Source, on expr.Cond) *SelectStmt {
	s.joins = append(s.joins, join{src, on, rightJoin})
	return s
}

// FullJoin adds FULL JOIN src ON on (not on MySQL/MariaDB: Build fails).
func (s *SelectStmt) FullJoin(src expr.Source, on expr.Cond) *SelectStmt {
	s.joins = append(s.joins, join{src, on, fullJoin})
	return s
}

// CrossJoin adds CROSS JOIN src.
func (s *SelectStmt) CrossJoin(src expr.Source) *SelectStmt {
	s.joins = append(s.joins, join{src: src, kind: crossJoin})
	return s
}

// Where adds conditions; all conditions of all Where calls are ANDed together.
func (s *SelectStmt) Where(conds ...expr.Cond) *SelectStmt {
	for _, c := range conds {
		s.conds = append(s.conds, clauseCond{c, false})
	}
	return s
}

// GroupBy adds GROUP BY expressions.
func (s *SelectStmt) GroupBy(xs ...expr.Expression) *SelectStmt {
	s.group = append(s.group, xs...)
	return s
}

// Having adds HAVING conditions, ANDed like Where.
func (s *SelectStmt) Having(conds ...expr.Cond) *SelectStmt {
	for _, c := range conds {
		s.conds = append(s.conds, clauseCond{c, true})
	}
	return s
}

// OrderBy adds ORDER BY items: x.Asc(), x.Desc(), with .NullsFirst()/.NullsLast().
func (s *SelectStmt) OrderBy(os ...expr.Order) *SelectStmt {
	s.order = append(s.order, os...)
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
func (s *SelectStmt) With(ctes ...WithQuery) *SelectStmt { s.with.add(false, ctes); return s }

// WithRecursive adds common table expressions and makes the clause WITH RECURSIVE.
func (s *SelectStmt) WithRecursive(ctes ...WithQuery) *SelectStmt {
	s.with.add(true, ctes)
	return s
}

// Build renders the statement for d.
func (s *SelectStmt) Build(d dialect.Dialect) (string, []any, error) { return expr.Render(d, s) }

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
	scope, clause := w.Scope(), w.Clause("SELECT")
	defer func() { w.RestoreScope(scope); w.Clause(clause) }()
	if s.err != "" {
		w.Fail(expr.ErrInvalid, s.err)
		return
	}
	s.with.write(w)
	if len(s.from) == 1 && len(s.joins) == 0 {
		w.SetSoleSource(s.from[0])
	} else {
		w.SetSoleSource(nil)
	}
	w.Clause("SELECT")
	w.Text("SELECT ")
	if s.distinct {
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
	case len(s.cols) == 0:
		w.Fail(expr.ErrInvalid, "SELECT with no columns")
		return
	default:
		w.WriteList(s.cols)
	}
	if len(s.from) > 0 {
		w.Clause("FROM")
		w.Text(" FROM ")
		writeSources(w, s.from)
	}
	for i := range s.joins {
		s.joins[i].write(w)
	}
	s.writeConds(w, false)
	if len(s.group) > 0 {
		w.Clause("GROUP BY")
		w.Text(" GROUP BY ")
		w.WriteList(s.group)
	}
	s.writeConds(w, true)
	if len(s.order) > 0 {
		w.Clause("ORDER BY")
		w.Text(" ORDER BY ")
		w.WriteOrders(s.order)
	}
	writeLimit(w, &s.limit)
	s.lock.write(w)
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
		src.WriteSource(w)
	}
}

func writeLimit(w *expr.Writer, l *limitOffset) {
	if !l.hasLimit && !l.hasOffset {
		return
	}
	w.Clause("LIMIT")
	if l.limit < 0 || l.offset < 0 {
		w.Fail(expr.ErrInvalid, "negative LIMIT or OFFSET ("+strconv.FormatInt(min(l.limit, l.offset), 10)+")")
		return
	}
	l.write(w)
}

func (j *join) write(w *expr.Writer) {
	w.Clause(joinText[j.kind][1 : len(joinText[j.kind])-1])
	c := w.Caps()
	switch {
	case j.kind == rightJoin && !c.RightJoin:
		w.Unsupported("RIGHT JOIN")
	case j.kind == fullJoin && !c.FullJoin:
		w.Unsupported("FULL JOIN")
	}
	w.Text(joinText[j.kind])
	if j.src == nil {
		w.Fail(expr.ErrInvalid, "nil source")
		return
	}
	j.src.WriteSource(w)
	if j.kind != crossJoin {
		w.Text(" ON ")
		j.on.WriteSQL(w)
	}
}

func (s *SelectStmt) writeConds(w *expr.Writer, having bool) {
	first := true
	for i := range s.conds {
		c := &s.conds[i]
		if c.having != having {
			continue
		}
		if first {
			if having {
				w.Clause("HAVING")
				w.Text(" HAVING ")
			} else {
				w.Clause("WHERE")
				w.Text(" WHERE ")
			}
			first = false
		} else {
			w.Text(" AND ")
		}
		c.WriteSQL(w)
	}
}

// setOperand reports what a set operation needs to know about an operand.
func (s *SelectStmt) setOperand() (needsParens bool) {
	return len(s.order) > 0 || s.limit.hasLimit || s.limit.hasOffset ||
		s.lock.strength != lockNone || len(s.with.ctes) > 0
}
