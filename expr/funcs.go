package expr

import (
	"database/sql/driver"
	"encoding/json"
	"reflect"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

// Number is the constraint of arithmetic, SUM and AVG: the integer and floating-point types
// and types defined on them.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// Text is the constraint of LIKE, ILIKE, LOWER, UPPER and concatenation: string and types
// defined on it.
type Text interface{ ~string }

// call is a function call: name(args...).
type call struct {
	name     string
	args     []node
	distinct bool
	window   bool // may be followed by OVER (aggregates and window functions)
}

func (c *call) writeNode(w *Writer) {
	if !validFuncName(c.name) {
		w.Fail(ErrInvalid, "function name "+quote(c.name)+" is not a plain identifier")
		return
	}
	w.Text(c.name)
	w.Char('(')
	if c.distinct {
		w.Text("DISTINCT ")
	}
	for i := range c.args {
		if i > 0 {
			w.Text(", ")
		}
		c.args[i].write(w)
	}
	w.Char(')')
}

// validFuncName accepts name or schema.name made of letters, digits and underscores: function
// names are written unquoted (MySQL reads a quoted name as a stored function, not a built-in).
func validFuncName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9') || c == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func fn(name string, window bool, args ...node) node {
	return node{&call{name: name, args: args, window: window}}
}

// agg uses the column's pre-built aggregate for a plain column (no allocation):
// COUNT("o"."id").
func agg(f fnID, x node) node {
	if c, ok := x.x.(*column); ok && c != nil {
		return node{&c.aggs[f]}
	}
	return node{&call{name: fnNames[f], args: []node{x}, distinct: f == fnCountDistinct, window: true}}
}

// Count is COUNT(x): the number of rows where x is not NULL.
func Count[T any](x Of[T]) Expr[int64] { return Expr[int64]{agg(fnCount, x.exprNode())} }

// CountAll is COUNT(*).
func CountAll() Expr[int64] { return Expr[int64]{node{countStar}} }

// CountDistinct is COUNT(DISTINCT x).
func CountDistinct[T any](x Of[T]) Expr[int64] {
	return Expr[int64]{agg(fnCountDistinct, x.exprNode())}
}

// Sum is SUM(x), for numbers only. Over no rows it is NULL: wrap it in Coalesce when that
// can happen.
func Sum[T Number](x Of[T]) Expr[T] { return Expr[T]{agg(fnSum, x.exprNode())} }

// Avg is AVG(x), for numbers only, as a float64.
func Avg[T Number](x Of[T]) Expr[float64] { return Expr[float64]{agg(fnAvg, x.exprNode())} }

// Min is MIN(x).
func Min[T any](x Of[T]) Expr[T] { return Expr[T]{agg(fnMin, x.exprNode())} }

// Max is MAX(x).
func Max[T any](x Of[T]) Expr[T] { return Expr[T]{agg(fnMax, x.exprNode())} }

// RowNumber is the window function ROW_NUMBER(); follow it with Over.
func RowNumber() Expr[int64] { return Expr[int64]{fn("ROW_NUMBER", true)} }

// Rank is the window function RANK().
func Rank() Expr[int64] { return Expr[int64]{fn("RANK", true)} }

// DenseRank is the window function DENSE_RANK().
func DenseRank() Expr[int64] { return Expr[int64]{fn("DENSE_RANK", true)} }

// Window is an OVER clause: PARTITION BY and ORDER BY. The zero Window is OVER ().
type Window struct {
	partition []node
	order     []Order
}

// PartitionBy starts a window: PARTITION BY xs.
func PartitionBy(xs ...Expression) Window { return Window{}.PartitionBy(xs...) }

// PartitionBy adds PARTITION BY expressions.
func (win Window) PartitionBy(xs ...Expression) Window {
	p := make([]node, len(win.partition), len(win.partition)+len(xs))
	copy(p, win.partition)
	for _, x := range xs {
		p = append(p, exprNode(x))
	}
	win.partition = p
	return win
}

// OrderBy adds ORDER BY items to the window.
func (win Window) OrderBy(os ...Order) Window {
	win.order = append(win.order[:len(win.order):len(win.order)], os...)
	return win
}

type over struct {
	f   node
	win Window
}

// Over applies e, an aggregate or window function, over a window:
//
//	expr.Sum(o.Total).Over(expr.PartitionBy(o.UserID))  // SUM("total") OVER (PARTITION BY "user_id")
//
// Over on any other expression fails to build.
func (e Expr[T]) Over(win Window) Expr[T] {
	return Expr[T]{node{&over{e.n, win}}}
}

func (o *over) writeNode(w *Writer) {
	if !o.f.isAggregate() {
		w.Fail(ErrInvalid, "OVER applies only to an aggregate or window function")
		return
	}
	o.f.write(w)
	w.Text(" OVER (")
	for i := range o.win.partition {
		if i == 0 {
			w.Text("PARTITION BY ")
		} else {
			w.Text(", ")
		}
		o.win.partition[i].write(w)
	}
	if len(o.win.order) > 0 {
		if len(o.win.partition) > 0 {
			w.Char(' ')
		}
		w.Text("ORDER BY ")
		w.WriteOrders(o.win.order)
	}
	w.Char(')')
}

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

// Like is x LIKE pattern, for text only; the pattern is a bound argument.
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

// LikeExpr is x LIKE pattern with the pattern an expression.
func LikeExpr[T Text](x, pattern Of[T]) Cond { return cmp(opLike, x.exprNode(), pattern.exprNode()) }

// Lower is LOWER(x).
func Lower[T Text](x Of[T]) Expr[T] { return Expr[T]{fn("LOWER", false, x.exprNode())} }

// Upper is UPPER(x).
func Upper[T Text](x Of[T]) Expr[T] { return Expr[T]{fn("UPPER", false, x.exprNode())} }

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
	return Expr[T]{node{c}}
}

// Coalesce is COALESCE(xs...): the first non-NULL value.
func Coalesce[T any](xs ...Of[T]) Expr[T] {
	args := make([]node, len(xs))
	for i, x := range xs {
		args[i] = x.exprNode()
	}
	return Expr[T]{fn("COALESCE", false, args...)}
}

// Func calls a named SQL function whose result type the caller states:
// expr.Func[time.Time]("date_trunc", expr.Val("day"), o.CreatedAt). The name must be a plain
// identifier (letters, digits, _ and .); it is written unquoted.
func Func[T any](name string, args ...Expression) Expr[T] {
	ns := make([]node, len(args))
	for i, a := range args {
		ns[i] = exprNode(a)
	}
	return Expr[T]{fn(name, false, ns...)}
}

// Aggregate is Func for a user-defined or engine-specific aggregate, which may take Over:
// expr.Aggregate[string]("string_agg", u.Name, expr.Val(",")).
func Aggregate[T any](name string, args ...Expression) Expr[T] {
	e := Func[T](name, args...)
	e.n.x.(*call).window = true
	return e
}

type cast struct {
	x       node
	typ     reflect.Type
	sqlType string
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	bytesType  = reflect.TypeFor[[]byte]()
	jsonType   = reflect.TypeFor[json.RawMessage]()
	valuerType = reflect.TypeFor[driver.Valuer]()
)

func (c *cast) writeNode(w *Writer) {
	t := c.sqlType
	if c.typ != nil { // Cast: the dialect names the type; CastAs("") must not get here
		t = castName(w, c.typ)
		if t == "" {
			w.Fail(ErrInvalid, "CAST to Go type "+c.typ.String()+" has no SQL type; use expr.CastAs")
			return
		}
	} else if !validTypeName(t) {
		w.Fail(ErrInvalid, "CAST type "+quote(t)+" is not a plain type name")
		return
	}
	w.Text("CAST(")
	c.x.write(w)
	w.Text(" AS ")
	w.Text(t)
	w.Char(')')
}

func castName(w *Writer, t reflect.Type) string {
	ct := &w.caps.Cast
	switch {
	case t == timeType:
		return ct.Time
	case t == bytesType:
		return ct.Bytes
	case t == jsonType:
		return "" // JSON has its own types per engine: leave it to the context
	case t.Implements(valuerType):
		return "" // a driver.Valuer knows its own encoding
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ct.Int
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ct.Uint
	case reflect.Float32, reflect.Float64:
		return ct.Float
	case reflect.String:
		return ct.Text
	case reflect.Bool:
		return ct.Bool
	}
	return ""
}

// validTypeName accepts type names like "NUMERIC(10, 2)", "DOUBLE PRECISION",
// "TIMESTAMP(3) WITH TIME ZONE" or "INTEGER[]", which are written into the SQL text as they
// are: words, at most one parenthesized list of numbers, and array brackets. Anything else
// (a parenthesis that closes the CAST, an operator) is rejected.
func validTypeName(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	inParen, sawParen := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inParen:
			switch {
			case c >= '0' && c <= '9', c == ',', c == ' ':
			case c == ')':
				inParen = false
			default:
				return false
			}
		case isLetter(c), c >= '0' && c <= '9', c == ' ':
		case c == '(' && !sawParen:
			inParen, sawParen = true, true
		case c == '[' && i+1 < len(s) && s[i+1] == ']':
			i++
		default:
			return false
		}
	}
	return !inParen
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// Cast converts x to the SQL type of Go type To, named per dialect (dialect.Capabilities.Cast):
// expr.Cast[string](u.ID) is CAST("id" AS TEXT) on PostgreSQL, CAST(`id` AS CHAR) on MySQL.
func Cast[To any](x Expression) Expr[To] {
	return Expr[To]{node{&cast{x: exprNode(x), typ: reflect.TypeFor[To]()}}}
}

// CastAs converts x to an explicitly named SQL type: expr.CastAs[float64](p.Price, "NUMERIC(10, 2)").
// The type name is words, at most one parenthesized list of numbers and array brackets
// ("TIMESTAMP(3) WITH TIME ZONE", "INTEGER[]"); any other name fails to build.
func CastAs[To any](x Expression, sqlType string) Expr[To] {
	return Expr[To]{node{&cast{x: exprNode(x), sqlType: sqlType}}}
}

type caseWhen struct {
	cond Cond
	then node
}

type caseExpr struct {
	whens []caseWhen
	els   node
}

func (c *caseExpr) writeNode(w *Writer) {
	if len(c.whens) == 0 {
		w.Fail(ErrInvalid, "CASE without WHEN")
		return
	}
	w.Text("CASE")
	for i := range c.whens {
		w.Text(" WHEN ")
		c.whens[i].cond.write(w)
		w.Text(" THEN ")
		c.whens[i].then.write(w)
	}
	if !c.els.isEmpty() {
		w.Text(" ELSE ")
		c.els.write(w)
	}
	w.Text(" END")
}

// CaseBuilder accumulates the WHEN branches of a CASE expression of type T.
type CaseBuilder[T any] struct{ whens []caseWhen }

// Case starts CASE WHEN ... THEN ... [ELSE ...] END with result type T:
//
//	expr.Case[string]().When(u.Active.Eq(true), expr.Val("on")).Else(expr.Val("off"))
//	// CASE WHEN "active" = $1 THEN $2 ELSE $3 END
func Case[T any]() CaseBuilder[T] { return CaseBuilder[T]{} }

// When adds WHEN cond THEN then.
func (b CaseBuilder[T]) When(cond Cond, then Of[T]) CaseBuilder[T] {
	b.whens = append(b.whens[:len(b.whens):len(b.whens)], caseWhen{cond, then.exprNode()})
	return b
}

// Else ends the CASE with ELSE x.
func (b CaseBuilder[T]) Else(x Of[T]) Expr[T] {
	return Expr[T]{node{&caseExpr{b.whens, x.exprNode()}}}
}

// End ends the CASE without ELSE (NULL when no branch matches).
func (b CaseBuilder[T]) End() Expr[T] {
	return Expr[T]{node{&caseExpr{whens: b.whens}}}
}

type excluded struct{ c *column }

func (e excluded) writeNode(w *Writer) {
	if e.c == nil {
		w.column(nil)
		return
	}
	switch w.caps.Upsert {
	case dialect.UpsertOnConflict:
		w.Text("EXCLUDED.")
		w.Ident(e.c.name)
	case dialect.UpsertOnDuplicateKey:
		w.Text("VALUES(")
		w.Ident(e.c.name)
		w.Char(')')
	default:
		w.Unsupported("upsert (the EXCLUDED row)")
	}
}

// Excluded is the value the conflicting INSERT proposed for column c, for an upsert's
// DO UPDATE SET: EXCLUDED."name" on PostgreSQL and SQLite, VALUES(`name`) on MySQL.
func Excluded[T any](c ColumnOf[T]) Expr[T] {
	return Expr[T]{node{excluded{c.columnRef()}}}
}
