package expr

import "reflect"

// binary is (l op r) for arithmetic; parenthesized so that nesting keeps its meaning.
type binary struct {
	l, r node
	op   string
	// intDiv: an integer division, written l DIV r where / would divide as decimals
	// (dialect.Capabilities.IntDiv).
	intDiv bool
}

func (b *binary) writeNode(w *Writer) {
	w.Char('(')
	b.l.write(w)
	if b.intDiv && w.caps.IntDiv {
		w.Text(" DIV ")
	} else {
		w.Text(b.op)
	}
	b.r.write(w)
	w.Char(')')
}

func arith[T any](op string, a, b Of[T]) Expr[T] {
	return newExpr[T](binary{l: a.exprNode(), r: b.exprNode(), op: op})
}

// Add is (a + b), for numbers only.
func Add[T Number](a, b Of[T]) Expr[T] { return arith(" + ", a, b) }

// Sub is (a - b).
func Sub[T Number](a, b Of[T]) Expr[T] { return arith(" - ", a, b) }

// Mul is (a * b).
func Mul[T Number](a, b Of[T]) Expr[T] { return arith(" * ", a, b) }

// Div is (a / b). For an integer T the quotient is an integer, truncated toward zero, on every
// engine: PostgreSQL and SQLite truncate with /, and on MySQL/MariaDB, where / gives a DECIMAL
// (5 / 2 = 2.5000), it is written (a DIV b). For a float T it is the float quotient.
func Div[T Number](a, b Of[T]) Expr[T] {
	e := arith(" / ", a, b)
	switch reflect.TypeFor[T]().Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.p.x.(*binary).intDiv = true // e is new: p is set
	}
	return e
}

type neg struct{ x node }

func (n *neg) writeNode(w *Writer) { w.Text("(-"); n.x.write(w); w.Char(')') }

// Neg is (-x).
func Neg[T Number](x Of[T]) Expr[T] { return newExpr[T](neg{x.exprNode()}) }
