package expr

import "reflect"

// Expr is a typed SQL expression whose value has Go type T: the result of functions,
// aggregates, arithmetic, Val, Raw, CASE, CAST and scalar subqueries. It is a small value type;
// it has the same comparison methods as Column.
//
//	expr.Count(o.ID).Gt(3)                        // COUNT("o"."id") > $1
//	expr.Add(p.Price, expr.Val(1.5)).Lt(10.0)     // ("price" + CAST($1 AS DOUBLE PRECISION)) < $2
//	                                              // (MySQL, SQLite: ("price" + ?) < ?)
//
// A value standing alone as an operand (Val in arithmetic, a CASE branch, a select item) is
// written CAST($n AS type) on PostgreSQL, which cannot always infer a parameter's type.
type Expr[T any] struct {
	// p points at the node, so that an Expr is one word and becomes an Expression (an item
	// of builder.Select) without an allocation: held by value, COUNT("o"."id") in a select
	// list was boxed, 16 bytes on the heap, on every build (callgrind, BenchmarkRender warm,
	// instructions per build+render: Q2 3636 -> 3333, allocations 5 -> 4). An aggregate of
	// a column, NULL, NOW() and EXCLUDED point at nodes made once; any other expression
	// allocates its node together with what it holds (newExpr): one allocation, as what it
	// holds alone took before.
	p *node
}

// node is e's node; the zero Expr has none, an error to render.
func (e Expr[T]) node() node {
	if e.p == nil {
		return node{}
	}
	return *e.p
}

// newExpr is the expression of a new node holding &x, allocated with it in one allocation.
func newExpr[T, X any](x X) Expr[T] {
	b := &struct {
		n node
		x X
	}{x: x}
	b.n.x = &b.x
	return Expr[T]{&b.n}
}

// Nodes that hold nothing, shared by the expressions made of them (nodes are never changed
// once an expression holds them).
var (
	nullExprNode = node{nullNode{}}
	nowExprNode  = node{now{}}
)

// WriteSQL writes the expression.
func (e Expr[T]) WriteSQL(w *Writer) { e.node().write(w) }

// Val is the bound value v as a typed expression, for places that take an expression:
// expr.CoalesceExpr(u.Nick, expr.Val("anonymous")) is COALESCE("nick", $1). On PostgreSQL, which
// cannot always infer a parameter's type from its context, it is written with its type:
// COALESCE("nick", CAST($1 AS TEXT)).
func Val[T any](v T) Expr[T] {
	return newExpr[T](typedVal{v: v, t: reflect.TypeFor[T]()})
}

// typedVal is a value whose Go type is known, so that it can be cast where the engine needs it.
type typedVal struct {
	v any
	t reflect.Type
}

func (x *typedVal) writeNode(w *Writer) {
	if w.caps.CastParams {
		if name := castName(w, x.t); name != "" {
			w.Text("CAST(")
			w.Arg(x.v)
			w.Text(" AS ")
			w.Text(name)
			w.Char(')')
			return
		}
	}
	w.Arg(x.v)
}

// Null is a typed SQL NULL.
func Null[T any]() Expr[T] { return Expr[T]{&nullExprNode} }

// Aliased is a select item with a name: x AS "alias". Made by the As methods.
type Aliased struct {
	n     node
	alias string
}

// WriteSQL writes x AS "alias".
func (a Aliased) WriteSQL(w *Writer) {
	a.n.write(w)
	w.Text(" AS ")
	w.Ident(a.alias)
}

// Alias is the alias given.
func (a Aliased) Alias() string { return a.alias }

// Order is an ORDER BY item, made with the Asc and Desc methods.
type Order struct {
	n     node
	desc  bool
	nulls uint8 // 0: engine default, 1: NULLS FIRST, 2: NULLS LAST
}

// NullsFirst puts NULLs first: "x" ASC NULLS FIRST. On MySQL, which lacks the clause, it is
// rendered as "x" IS NULL DESC, "x" ASC.
func (o Order) NullsFirst() Order { o.nulls = 1; return o }

// NullsLast puts NULLs last: "x" DESC NULLS LAST (on MySQL "x" IS NULL ASC, "x" DESC).
func (o Order) NullsLast() Order { o.nulls = 2; return o }

// WriteSQL writes the ordering item.
func (o Order) WriteSQL(w *Writer) { walkOrderSQL(w, &o) }

// WriteList writes expressions separated by commas (select lists, GROUP BY, RETURNING).
func (w *Writer) WriteList(xs []Expression) { Plumbing.WalkExprsSQL(w, xs) }
