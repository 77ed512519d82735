package expr

// Coalesce is x, or the plain value fallback where x is NULL: COALESCE(x, $1).
//
//	expr.Coalesce(u.Nick, "anonymous")   // COALESCE("nick", $1)
//	expr.Coalesce(u.Nick, 3)             // does not compile: int fallback for a string column
//
// CoalesceExpr takes expressions (other columns, expr.Val) and any number of them, as Eq and
// EqExpr split a value from an expression: Go cannot take "an Of[T] or a T" in one
// parameter (a union may not hold an interface with methods).
func Coalesce[T any](x Of[T], fallback T) Expr[T] {
	return fn[T]("COALESCE", false, ofNode(x), valNode(fallback))
}

// NullIf is NULL where x equals the plain value v, else x: NULLIF(x, $1). It turns a
// sentinel into NULL, as in dividing by NULLIF(count, 0).
//
//	expr.NullIf(u.Nick, "")            // NULLIF("nick", $1)
func NullIf[T any](x Of[T], v T) Expr[T] {
	return fn[T]("NULLIF", false, ofNode(x), valNode(v))
}

// NullIfExpr is NULLIF(x, y) with y an expression of the same type.
func NullIfExpr[T any](x, y Of[T]) Expr[T] {
	return fn[T]("NULLIF", false, ofNode(x), ofNode(y))
}

// extreme is GREATEST/LEAST, named per engine (dialect.FuncForms).
type extreme struct {
	least bool
	args  []node
}

func (e *extreme) writeNode(w *Writer) {
	name := w.caps.Funcs.Greatest
	if e.least {
		name = w.caps.Funcs.Least
	}
	if name == "" {
		w.Unsupported("GREATEST and LEAST")
		return
	}
	w.Text(name)
	w.Char('(')
	for i := range e.args {
		if i > 0 {
			w.Text(", ")
		}
		e.args[i].write(w)
	}
	w.Char(')')
}

func extremeOf[T any](least bool, a, b Of[T], more []Of[T]) Expr[T] {
	args := make([]node, 0, 2+len(more))
	args = append(args, ofNode(a), ofNode(b))
	for _, x := range more {
		args = append(args, ofNode(x))
	}
	return newExpr[T](extreme{least: least, args: args})
}

// Greatest is the largest of its arguments, at least two: GREATEST(a, b) on PostgreSQL and
// MySQL, MAX(a, b) on SQLite (where MAX of one argument would be the aggregate).
//
//	expr.Greatest(p.Price, expr.Val(1.0))   // GREATEST("price", CAST($1 AS DOUBLE PRECISION))
//
// NULL arguments differ: PostgreSQL skips them, MySQL and SQLite answer NULL. Wrap a Nullable
// argument in Coalesce to get one answer everywhere.
func Greatest[T any](a, b Of[T], more ...Of[T]) Expr[T] { return extremeOf(false, a, b, more) }

// Least is the smallest of its arguments: LEAST(a, b), on SQLite MIN(a, b). NULLs are as in
// Greatest.
func Least[T any](a, b Of[T], more ...Of[T]) Expr[T] { return extremeOf(true, a, b, more) }
