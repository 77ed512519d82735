package expr

// charLength is the number of characters of a string, named per engine.
type charLength struct{ x node }

func (c *charLength) writeNode(w *Writer) {
	if w.caps.Funcs.CharLength == "" {
		w.Unsupported("LENGTH")
		return
	}
	w.Text(w.caps.Funcs.CharLength)
	w.Char('(')
	c.x.write(w)
	w.Char(')')
}

// Length is the number of characters (not bytes) of x: LENGTH(x) on PostgreSQL and SQLite,
// CHAR_LENGTH(x) on MySQL, whose LENGTH counts bytes.
//
//	expr.Length(u.Name).Gt(3)   // LENGTH("name") > $1
func Length[T Text](x Of[T]) Expr[int64] { return newExpr[int64](charLength{ofNode(x)}) }

// substr is SUBSTR(x, start, length) with the numbers written into the SQL text: they are
// part of the expression's meaning (GROUP BY SUBSTR(name, 1, 1) must repeat the select
// item's SQL exactly on PostgreSQL), and a number cannot inject anything.
type substr struct {
	x             node
	start, length int64
}

func (s *substr) writeNode(w *Writer) {
	if s.start < 1 || s.length < 0 {
		w.Fail(ErrInvalid, "SUBSTR starts at character 1 or later and takes 0 or more characters")
		return
	}
	w.Text("SUBSTR(")
	s.x.write(w)
	w.Text(", ")
	w.Int(s.start)
	w.Text(", ")
	w.Int(s.length)
	w.Char(')')
}

// Substring is length characters of x from character start, counted from 1:
// SUBSTR(x, start, length) on every engine.
//
//	expr.Substring(u.Name, 1, 1)   // SUBSTR("name", 1, 1): the initial
//
// A start below 1 or a negative length fails to build.
func Substring[T Text](x Of[T], start, length int64) Expr[T] {
	return newExpr[T](substr{x: ofNode(x), start: start, length: length})
}

// Trim is x without leading and trailing spaces: TRIM(x).
func Trim[T Text](x Of[T]) Expr[T] { return fn[T]("TRIM", false, ofNode(x)) }

// LTrim is x without leading spaces: LTRIM(x).
func LTrim[T Text](x Of[T]) Expr[T] { return fn[T]("LTRIM", false, ofNode(x)) }

// RTrim is x without trailing spaces: RTRIM(x).
func RTrim[T Text](x Of[T]) Expr[T] { return fn[T]("RTRIM", false, ofNode(x)) }

// Replace is x with every occurrence of from replaced by to, both plain values:
// REPLACE(x, $1, $2). The match is case-sensitive on every engine.
//
//	expr.Replace(p.Sku, "-", "")   // REPLACE("sku", $1, $2)
func Replace[T Text](x Of[T], from, to T) Expr[T] {
	return fn[T]("REPLACE", false, ofNode(x), valNode(from), valNode(to))
}
