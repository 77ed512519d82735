package expr

import (
	"strconv"
	"unsafe" // a descriptor's identity as a number: see render.Scope.Sole for why and its cost
)

// node is the representation of any expression operand: one interface word pair whose dynamic
// type says what it is, so that the common operands cost no allocation:
//
//   - *column: a column reference (a pointer fits in an interface without boxing);
//   - *aggCol: an aggregate of a column, COUNT("o"."id"), pre-built in the column descriptor;
//   - nodeWriter: any other expression (function calls, arithmetic, subqueries, ...);
//   - nil: the zero value, an error when rendered;
//   - anything else: a value bound as an argument (boxed once, as database/sql would).
//
// User values cannot be mistaken for the first three: *column and *aggCol are unexported and
// nodeWriter has an unexported method.
type node struct{ x any }

// nodeWriter is implemented by this package's composite expressions.
type nodeWriter interface {
	writeNode(w *Writer)
}

// nullNode is SQL NULL; defaultNode is the DEFAULT keyword; nilValue binds a nil argument.
type (
	nullNode    struct{}
	defaultNode struct{}
	nilValue    struct{}
)

func (nullNode) writeNode(w *Writer) { w.Text("NULL") }
func (defaultNode) writeNode(w *Writer) {
	if !w.caps.DefaultKeyword {
		w.Unsupported("DEFAULT as a value")
	}
	w.Text("DEFAULT")
}
func (nilValue) writeNode(w *Writer) { w.Arg(nil) }

func colNode(c *column) node { return node{c} }

func valNode(v any) node {
	if v == nil {
		return node{nilValue{}}
	}
	return node{v}
}

// wrap turns an Expression from outside the package (a statement, a user type) into a node.
type wrapped struct{ e Expression }

func (x wrapped) writeNode(w *Writer) { x.e.WriteSQL(w) }

func exprNode(e Expression) node {
	if e == nil {
		return node{}
	}
	if n, ok := e.(interface{ exprNode() node }); ok {
		return n.exprNode()
	}
	return node{wrapped{e}}
}

func (n node) write(w *Writer) {
	switch x := n.x.(type) {
	case *column:
		w.column(x)
	case *aggCol:
		x.writeNode(w)
	case nodeWriter:
		x.writeNode(w)
	case nil:
		w.Fail(ErrInvalid, "empty expression (a zero expr value was used)")
	default:
		w.Arg(x)
	}
}

func (n node) isEmpty() bool { return n.x == nil }

type fnID uint8

const (
	fnCount fnID = iota
	fnCountDistinct
	fnSum
	fnAvg
	fnMin
	fnMax
	numAggs
)

var fnNames = [...]string{
	fnCount: "COUNT", fnCountDistinct: "COUNT", fnSum: "SUM", fnAvg: "AVG", fnMin: "MIN", fnMax: "MAX",
}

// fnRuns are fnNames as the writer copies them (see textRun).
var fnRuns = func() (runs [len(fnNames)]textRun) {
	for i, s := range fnNames {
		runs[i] = newTextRun(s)
	}
	return runs
}()

// aggCol is an aggregate of one column. Each column holds one per aggregate function, so that
// expr.Count(o.ID) needs no allocation.
type aggCol struct {
	c    *column
	fn   fnID
	word uint32 // its word in a Shape, 0 if its column is invalid (see setWords)
	node node   // node{the aggCol}, which its Expr points at (see Expr)
}

// countStar is COUNT(*).
var countStar = func() *aggCol {
	a := &aggCol{fn: fnCount, word: uint32(fnCount)<<partBits | partAgg}
	a.node = node{a}
	return a
}()

func (a *aggCol) writeNode(w *Writer) {
	if r := &fnRuns[a.fn]; !w.tryRun(r) {
		w.Text(r.s)
	}
	w.Char('(')
	if a.fn == fnCountDistinct {
		w.Text("DISTINCT ")
	}
	if a.c == nil {
		w.Char('*')
	} else {
		w.column(a.c)
	}
	w.Char(')')
}

// isAggregate reports whether OVER may follow n.
func (n node) isAggregate() bool {
	switch x := n.x.(type) {
	case *aggCol:
		return true
	case *call:
		return x.window
	}
	return false
}

// column is one column of one table descriptor (an alias is a different descriptor). Its
// quoted forms are computed once, when the descriptor is declared.
type column struct {
	table *tableInfo
	name  string
	id    uint64 // for Shape
	// word is the column's word in a Shape, 0 while it has none: made once its table is
	// known to be valid (see bind), so that a shape does not check the table each time.
	word uint32
	// bare and qual are the column quoted with each quoting style ('"', '`'): "id" and
	// "u"."id".
	bare, qual [2]textRun
	aggs       [numAggs]aggCol
	// excluded is node{excluded{the column}}, which Excluded's Expr points at (see Expr).
	excluded node
}

func newColumn(t *tableInfo, name string) *column {
	c := &column{table: t, name: name, id: newShapeID()}
	for i := range c.aggs {
		a := &c.aggs[i]
		a.c, a.fn, a.node = c, fnID(i), node{a}
	}
	c.excluded = node{excluded{c}}
	for i := range quoters {
		bare := quoteIdent(name, i)
		c.bare[i], c.qual[i] = newTextRun(bare), newTextRun(t.ref[i]+"."+bare)
	}
	return c
}

// column writes a column reference, qualified unless the scope makes it unambiguous. The
// common case, a valid column in a dialect with pre-quoted names, is kept short: it runs for
// nearly every item of every statement.
func (w *Writer) column(c *column) {
	r := w.columnRun(c)
	if r == nil {
		w.columnSlow(c)
		return
	}
	// tryRun's test written out, so that the compiler does not make its result a value to
	// test, about 8 instructions a column (callgrind, BenchmarkRender, instructions per
	// build+render: uncacheable Q1, of 4 columns, 2309 -> 2276, Q2, of 12, 6209 -> 6138).
	if n := len(w.buf); cap(w.buf)-n >= textRunLen && r.n != 0 {
		w.putRun(n, r)
		return
	}
	w.Text(r.s)
}

// columnRun is the text of a reference to c where the scope writes it, or nil where column
// takes its slow path (columnSlow). Small enough to be inlined, so that a walk writes the
// commonest columns with no call: if r := w.columnRun(c); r == nil || !w.tryRun(r) { w.column(c) }.
// (The style's index is masked, 0 or 1 here, so that the compiler does not check it.)
func (w *Writer) columnRun(c *column) *textRun {
	if c == nil || c.table.err != "" || w.qs < 0 || w.f.Scope.NoSource {
		return nil
	}
	runs := &c.qual
	if w.f.Scope.Bare || uintptr(unsafe.Pointer(c.table)) == w.f.Scope.Sole {
		runs = &c.bare
	}
	return &runs[w.qs&1]
}

// columnSlow is column for an unbound or invalid descriptor, a statement without FROM, or a
// dialect whose quoting is done as the text is written.
func (w *Writer) columnSlow(c *column) {
	if c == nil {
		w.Fail(ErrInvalid, "column descriptor not bound: declare its table with expr.NewTable")
		return
	}
	t := c.table
	if t.err != "" {
		w.Fail(ErrInvalid, t.err)
		return
	}
	if w.f.Scope.NoSource {
		ref := t.qualifiedName()
		if t.alias != "" {
			ref = t.alias
		}
		w.Fail(ErrInvalid, "column "+strconv.Quote(ref+"."+c.name)+" in a SELECT without FROM: add From("+ref+")")
		return
	}
	if !(w.f.Scope.Bare || uintptr(unsafe.Pointer(t)) == w.f.Scope.Sole) {
		t.writeRef(w)
		w.Char('.')
	}
	w.Ident(c.name)
}

// Of is implemented by every typed expression whose SQL value has Go type T: Column[T],
// Nullable[T] and Expr[T]. Functions that combine expressions take Of[T], so the
// compiler checks that the operands' types agree. Only this package implements it; Raw is the
// explicit way to state a type the compiler cannot check. Every Of[T] is also an Expression:
// AsExpression turns a value of the interface type into one.
//
// A plain Go value is not an Of[T]: wrap it with Val (expr.Val("none")), or use the form that
// takes a value (Eq, not EqExpr; Set, not SetExpr; Coalesce, not CoalesceExpr). Nor is a
// statement: make it one with Subquery(builder.SelectOne(...)). The compiler's message says
// where typed expressions come from: "string does not implement expr.Of[string] (missing
// method exprFromValOrSubquery)".
//
// The methods are unexported and named for the compiler's messages, which quote the first one
// a type lacks or has with another signature, in alphabetical order:
// "(wrong type for method exprHasGoType) have exprHasGoType(*string) want exprHasGoType(*int64)"
// says the expression's Go type is string where int64 is wanted, and an untyped Expression (a
// statement, say) or a plain value is "missing method exprFromValOrSubquery". Of[T] does not
// embed Expression on purpose: its exported WriteSQL would sort first and be the method named.
type Of[T any] interface {
	exprFromValOrSubquery()
	exprHasGoType(*T)
	exprNode() node
}

// AsExpression returns x as an Expression, to pass an Of[T] held in a variable of the
// interface type to a function that takes any Expression, such as builder.Select:
//
//	func label[T any](x expr.Of[T]) expr.Expression { return expr.AsExpression(x) }
func AsExpression[T any](x Of[T]) Expression {
	e, _ := x.(Expression) // every implementation is one: asserted below
	return e
}

var _ = [...]Expression{Column[int]{}, Nullable[int]{}, Expr[int]{}}

// ColumnOf is a column (Column[T] or Nullable[T]) holding values of type T. An expression
// that is not a column is "missing method tableColumn".
type ColumnOf[T any] interface {
	Of[T]
	tableColumn() *column
}

// QueryOf is a query that yields one column of type T: a subquery usable in IN and as a scalar.
// The builder package's SelectOne returns one. A Select of several columns is "missing method
// selectOneOfGoType" (make it with builder.SelectOne), and one of another type has "have
// selectOneOfGoType(*string) want selectOneOfGoType(*int64)".
type QueryOf[T any] interface {
	Query
	selectOneOfGoType(*T)
}

// QueryType is embedded by query types that yield one column of type T, to implement QueryOf[T].
// Embedding it asserts the column's type; builder.SelectOne does so from a typed expression.
type QueryType[T any] struct{}

func (QueryType[T]) selectOneOfGoType(*T) {}

// AnyColumn is a column of any type (Column[T] or Nullable[T]), for places that need only its
// name: an upsert's conflict target.
type AnyColumn interface {
	Expression
	ColumnName() string
	tableColumn() *column
}

// writeColumnName writes c's name alone, unqualified: "email".
func (w *Writer) writeColumnName(c AnyColumn) {
	if c == nil {
		w.column(nil)
		return
	}
	col := c.tableColumn()
	if col == nil || col.table.err != "" {
		w.column(col)
		return
	}
	if w.qs >= 0 {
		if r := &col.bare[w.qs]; !w.tryRun(r) {
			w.Text(r.s)
		}
		return
	}
	w.Ident(col.name)
}

// columnOfSource reports whether c is one of src's columns.
func columnOfSource(c AnyColumn, src Source) bool {
	return c != nil && src != nil && c.tableColumn() != nil && c.tableColumn().table == src.sourceInfo()
}

// ofNode is x's node; a nil x is the empty node, which fails the render with a message
// instead of panicking.
func ofNode[T any](x Of[T]) node {
	if x == nil {
		return node{}
	}
	return x.exprNode()
}
