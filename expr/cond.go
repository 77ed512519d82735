package expr

// Cond is a boolean condition: what WHERE, HAVING, ON and CASE WHEN take. It is a small value
// (no interface boxing per predicate); conditions are made by the comparison methods of
// columns and expressions and combined with And, Or and Not. The zero Cond is invalid and fails
// to build.
type Cond struct {
	l, r node
	op   condOp
	rval bool // r is a bound value: write it without inspecting its type
}

type condOp uint8

const (
	opInvalid condOp = iota
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opIn
	opNotIn
	opEqAny // = ANY($1) with an array argument, or IN (...) without array parameters
	opInQuery
	opNotInQuery
	opBetween
	opNotBetween
	opIsNull
	opIsNotNull
	opLike
	opNotLike
	opILike
	opNotILike
	opAnd
	opOr
	opNot
	opExists
	opNotExists
	opTruth // l itself is boolean
	opRaw   // r.x is *raw
)

var opText = [...]string{
	opEq: " = ", opNe: " <> ", opLt: " < ", opLe: " <= ", opGt: " > ", opGe: " >= ",
	opIn: " IN (", opNotIn: " NOT IN (", opInQuery: " IN ", opNotInQuery: " NOT IN ",
	opBetween: " BETWEEN ", opNotBetween: " NOT BETWEEN ",
	opIsNull: " IS NULL", opIsNotNull: " IS NOT NULL",
	opLike: " LIKE ", opNotLike: " NOT LIKE ", opILike: " ILIKE ", opNotILike: " NOT ILIKE ",
}

// opRuns are opText as the writer copies them (see textRun).
var opRuns = func() (runs [len(opText)]textRun) {
	for i, s := range opText {
		runs[i] = newTextRun(s)
	}
	return runs
}()

// valueList is a typed IN list; list[T] boxes the caller's slice once instead of each value.
type valueList interface {
	writeList(w *Writer)
	slice() any // the list as the caller's []T, bound as one array argument
	size() int
	at(i int) any // the i-th value, for Shape
}

type list[T any] []T

func (l list[T]) slice() any   { return []T(l) }
func (l list[T]) size() int    { return len(l) }
func (l list[T]) at(i int) any { return l[i] }
func (l list[T]) writeList(w *Writer) {
	for i := range l {
		if i > 0 {
			w.Text(", ")
		}
		w.Arg(l[i])
	}
}

type bounds struct{ lo, hi node }

func cmp(op condOp, l, r node) Cond { return Cond{op: op, l: l, r: r} }

func cmpVal(op condOp, l node, v any) Cond {
	if v == nil {
		return Cond{op: op, l: l, r: node{nilValue{}}}
	}
	return Cond{op: op, l: l, r: node{v}, rval: true}
}

func inList[T any](op condOp, l node, vs []T) Cond {
	return Cond{op: op, l: l, r: node{list[T](vs)}}
}

func between(op condOp, l, lo, hi node) Cond {
	return Cond{op: op, l: l, r: node{&bounds{lo, hi}}}
}

// AppendConds is append(dst, conds...) for statement builders that keep conditions in inline
// buffers. It copies field by field: a Cond is too large for the compiler to copy in registers,
// so append copies it with a bulk write barrier while the collector is marking, which costs
// several times the copy itself.
func (plumbing) AppendConds(dst []Cond, conds ...Cond) []Cond {
	n := len(dst)
	if n+len(conds) > cap(dst) {
		return append(dst, conds...)
	}
	dst = dst[:n+len(conds)]
	for i := range conds {
		d, c := &dst[n+i], &conds[i]
		d.l, d.r, d.op, d.rval = c.l, c.r, c.op, c.rval
	}
	return dst
}

// And is true when every condition is: (a AND b AND ...). And() with no conditions is TRUE,
// so a dynamic filter list may be empty.
func And(conds ...Cond) Cond { return group(opAnd, conds) }

// Or is true when any condition is: (a OR b OR ...). Or() with no conditions is FALSE.
func Or(conds ...Cond) Cond { return group(opOr, conds) }

func group(op condOp, conds []Cond) Cond {
	if len(conds) == 1 {
		return conds[0]
	}
	cs := make([]Cond, len(conds))
	copy(cs, conds)
	return Cond{op: op, r: node{x: condList(cs)}}
}

// condList is a group's members, stored in the group's r.x.
type condList []Cond

// Not negates c: NOT (c).
func Not(c Cond) Cond {
	return Cond{op: opNot, r: node{x: condList{c}}}
}

// Exists is EXISTS (q).
func Exists(q Query) Cond { return Cond{op: opExists, r: node{subquery{q}}} }

// NotExists is NOT EXISTS (q).
func NotExists(q Query) Cond { return Cond{op: opNotExists, r: node{subquery{q}}} }

// IsTrue uses a boolean column or expression as a condition: WHERE "active".
func IsTrue(x Of[bool]) Cond { return Cond{op: opTruth, l: x.exprNode()} }

// And is c AND others...: shorthand for expr.And(c, others...).
func (c Cond) And(others ...Cond) Cond { return And(append([]Cond{c}, others...)...) }

// Or is c OR others...: shorthand for expr.Or(c, others...).
func (c Cond) Or(others ...Cond) Cond { return Or(append([]Cond{c}, others...)...) }

// WriteSQL writes the condition.
func (c Cond) WriteSQL(w *Writer) { c.write(w) }

// write writes c where it stands alone (a CASE branch, a FILTER, a group's member).
func (c *Cond) write(w *Writer) { walkCondSQL(w, c) }

// comparison writes a comparison: a column or expression, an operator, and a value, column
// or expression. (Its walks call it, and put its words from the same operands.)
//
// A comparison, the common case, is written by a function of its own, whose rare paths are
// calls: with every operator's text inlined in one function, each condition paid a 1 KB
// frame and spilled its registers (callgrind, BenchmarkRender, instructions per
// build+render: uncacheable Q1 2276 -> 2268, Q2, of five comparisons, 6138 -> 6089).
//
// A column operand, the common case, is written without the call through node.write
// (callgrind, BenchmarkRender, instructions per build+render in the comparison's writing and
// node.write: Q1 95 -> 75, Q2 570 -> 477; uncacheable Q1 2379 -> 2346, Q2 6417 -> 6325).
func (w *Writer) comparison(c *Cond) {
	if c.op >= opILike {
		c.writeILike(w)
		return
	}
	if col, ok := c.l.x.(*column); ok {
		if r := w.columnRun(col); r == nil || !w.tryRun(r) {
			w.column(col)
		}
	} else if a, ok := c.l.x.(*aggCol); ok { // HAVING COUNT("o"."id") > $1: Q2 5779 -> 5750
		a.writeNode(w)
	} else {
		c.l.write(w)
	}
	if r := &opRuns[c.op]; !w.tryRun(r) {
		w.textCall(r.s)
	}
	if c.rval {
		w.Arg(c.r.x)
	} else if col, ok := c.r.x.(*column); ok {
		w.column(col)
	} else {
		c.r.write(w)
	}
	if c.op >= opLike && w.caps.LikeEscape != "" {
		w.textCall(w.caps.LikeEscape)
	}
}

// writeILike writes ILIKE and NOT ILIKE: as such where the engine has them, else as LIKE of
// both sides in lower case.
func (c *Cond) writeILike(w *Writer) {
	if w.caps.ILike {
		c.l.write(w)
		w.Text(opText[c.op])
		c.r.write(w)
		w.Text(w.caps.LikeEscape)
		return
	}
	w.Text("LOWER(")
	c.l.write(w)
	if c.op == opILike {
		w.Text(") LIKE LOWER(")
	} else {
		w.Text(") NOT LIKE LOWER(")
	}
	c.r.write(w)
	w.Char(')')
	w.Text(w.caps.LikeEscape)
}

// writeIn writes IN and NOT IN with a value list l.
func (c *Cond) writeIn(w *Writer, l valueList) {
	if l == nil || l.size() == 0 {
		what := "IN"
		if c.op == opNotIn {
			what = "NOT IN"
		}
		w.Fail(ErrInvalid, what+" with an empty value list (decide explicitly what an empty list means, e.g. skip the condition)")
		return
	}
	c.l.write(w)
	w.Text(opText[c.op])
	l.writeList(w)
	w.Char(')')
}

// writeOther writes the conditions that have no shape (see walkCond).
func (c *Cond) writeOther(w *Writer) {
	switch c.op {
	case opEqAny:
		c.writeEqAny(w)
	case opInQuery, opNotInQuery:
		c.l.write(w)
		w.Text(opText[c.op])
		c.r.x.(subquery).writeNode(w)
	case opExists, opNotExists:
		if c.op == opNotExists {
			w.Text("NOT ")
		}
		w.Text("EXISTS ")
		c.r.write(w)
	case opRaw:
		c.r.x.(*raw).writeNode(w)
	default:
		w.Fail(ErrInvalid, "empty condition (a zero expr.Cond was used)")
	}
}

// writeEqAny writes EqAny: one array argument where the engine binds arrays, an IN list
// elsewhere, FALSE for an empty list there (IN () is not SQL).
func (c *Cond) writeEqAny(w *Writer) {
	l, _ := c.r.x.(valueList)
	if l == nil {
		w.Fail(ErrInvalid, "EqAny without a value list")
		return
	}
	if w.caps.ArrayParams {
		c.l.write(w)
		w.Text(" = ANY(")
		w.Arg(l.slice())
		w.Char(')')
		return
	}
	if l.size() == 0 {
		if w.caps.BoolLiterals {
			w.Text("FALSE")
		} else {
			w.Text("1 = 0")
		}
		return
	}
	c.l.write(w)
	w.Text(" IN (")
	l.writeList(w)
	w.Char(')')
}
