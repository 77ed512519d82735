package expr

// binary is (l op r) for arithmetic; parenthesized so that nesting keeps its meaning.
type binary struct {
	l, r node
	op   string
}

func (b *binary) writeNode(w *Writer) {
	w.Char('(')
	b.l.write(w)
	w.Text(b.op)
	b.r.write(w)
	w.Char(')')
}

func arith[T any](op string, a, b Of[T]) Expr[T] {
	return Expr[T]{node{&binary{a.exprNode(), b.exprNode(), op}}}
}

// Add is (a + b), for numbers only.
func Add[T Number](a, b Of[T]) Expr[T] { return arith(" + ", a, b) }

// Sub is (a - b).
func Sub[T Number](a, b Of[T]) Expr[T] { return arith(" - ", a, b) }

// Mul is (a * b).
func Mul[T Number](a, b Of[T]) Expr[T] { return arith(" * ", a, b) }

// Div is (a / b). Integer operands divide as integers on PostgreSQL and SQLite, as decimals on
// MySQL.
func Div[T Number](a, b Of[T]) Expr[T] { return arith(" / ", a, b) }

type neg struct{ x node }

func (n *neg) writeNode(w *Writer) { w.Text("(-"); n.x.write(w); w.Char(')') }

// Neg is (-x).
func Neg[T Number](x Of[T]) Expr[T] { return Expr[T]{node{&neg{x.exprNode()}}} }
