package expr

import "strings"

// Text is the constraint of LIKE, ILIKE, LOWER, UPPER and concatenation: string and types
// defined on it.
type Text interface{ ~string }

// Like is x LIKE pattern, for text only; the pattern is a bound argument. A backslash in the
// pattern escapes %, _ and itself on every engine (SQLite gets ESCAPE '\'), so a pattern
// built from user input is safe with EscapeLike.
func Like[T Text](x Of[T], pattern T) Cond { return cmpVal(opLike, x.exprNode(), pattern) }

// NotLike is x NOT LIKE pattern.
func NotLike[T Text](x Of[T], pattern T) Cond {
	return cmpVal(opNotLike, x.exprNode(), pattern)
}

// ILike is case-insensitive LIKE: x ILIKE pattern on PostgreSQL, LOWER(x) LIKE LOWER(pattern)
// elsewhere.
func ILike[T Text](x Of[T], pattern T) Cond { return cmpVal(opILike, x.exprNode(), pattern) }

// NotILike is x NOT ILIKE pattern (LOWER(x) NOT LIKE LOWER(pattern) without ILIKE).
func NotILike[T Text](x Of[T], pattern T) Cond {
	return cmpVal(opNotILike, x.exprNode(), pattern)
}

// EscapeLike escapes LIKE's wildcards in s, so that it matches itself only: % and _ and the
// escape character \ get a backslash. Build patterns from user input with it:
//
//	expr.Like(Products.Name, "%"+expr.EscapeLike(q)+"%")   // q = "50%" finds "50%", not "500"
func EscapeLike(s string) string {
	if !strings.ContainsAny(s, `\%_`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\', '%', '_':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// LikeExpr is x LIKE pattern with the pattern an expression.
func LikeExpr[T Text](x, pattern Of[T]) Cond { return cmp(opLike, x.exprNode(), pattern.exprNode()) }

// Lower is LOWER(x).
func Lower[T Text](x Of[T]) Expr[T] { return fn[T]("LOWER", false, x.exprNode()) }

// Upper is UPPER(x).
func Upper[T Text](x Of[T]) Expr[T] { return fn[T]("UPPER", false, x.exprNode()) }

type concat []node

func (c concat) writeNode(w *Writer) {
	if len(c) == 0 {
		w.Fail(ErrInvalid, "concatenation of nothing")
		return
	}
	if w.caps.ConcatOperator {
		w.Char('(')
		for i := range c {
			if i > 0 {
				w.Text(" || ")
			}
			c[i].write(w)
		}
		w.Char(')')
		return
	}
	w.Text("CONCAT(")
	for i := range c {
		if i > 0 {
			w.Text(", ")
		}
		c[i].write(w)
	}
	w.Char(')')
}

// Concat joins strings: (a || b) on PostgreSQL and SQLite, CONCAT(a, b) on MySQL.
func Concat[T Text](xs ...Of[T]) Expr[T] {
	c := make(concat, len(xs))
	for i, x := range xs {
		c[i] = x.exprNode()
	}
	return newExpr[T](c)
}
