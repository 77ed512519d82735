package expr

// node is the value-typed representation of any expression operand. The common cases — a
// column, a bound value, an aggregate of a column — are stored inline, so building a condition
// like users.id = $1 or COUNT(o.id) allocates nothing beyond boxing the value; everything else
// is an Expression behind x.
type node struct {
	col  *column
	x    any
	kind nodeKind
	fn   fnID // for kAgg
}

type nodeKind uint8

const (
	kNone    nodeKind = iota // zero value: a zero Expr or Cond
	kCol                     // col
	kVal                     // bound argument x
	kNull                    // NULL
	kDefault                 // DEFAULT (INSERT/UPDATE values)
	kAgg                     // fn(col), or COUNT(*) when col is nil
	kExpr                    // x.(Expression)
)

type fnID uint8

const (
	fnCount fnID = iota
	fnCountDistinct
	fnSum
	fnAvg
	fnMin
	fnMax
)

var fnNames = [...]string{
	fnCount: "COUNT", fnCountDistinct: "COUNT", fnSum: "SUM", fnAvg: "AVG", fnMin: "MIN", fnMax: "MAX",
}

func colNode(c *column) node { return node{kind: kCol, col: c} }
func valNode(v any) node     { return node{kind: kVal, x: v} }
func exprNode(e Expression) node {
	if e == nil {
		return node{}
	}
	if n, ok := e.(interface{ exprNode() node }); ok {
		return n.exprNode()
	}
	return node{kind: kExpr, x: e}
}

func (n *node) write(w *Writer) {
	switch n.kind {
	case kCol:
		w.column(n.col)
	case kVal:
		w.Arg(n.x)
	case kNull:
		w.Text("NULL")
	case kDefault:
		if !w.caps.DefaultKeyword {
			w.Unsupported("DEFAULT as a value")
		}
		w.Text("DEFAULT")
	case kAgg:
		w.Text(fnNames[n.fn])
		w.Char('(')
		if n.fn == fnCountDistinct {
			w.Text("DISTINCT ")
		}
		if n.col == nil {
			w.Char('*')
		} else {
			w.column(n.col)
		}
		w.Char(')')
	case kExpr:
		n.x.(Expression).WriteSQL(w)
	default:
		w.Fail(ErrInvalid, "empty expression (a zero expr value was used)")
	}
}

// isAggregate reports whether OVER may follow n.
func (n *node) isAggregate() bool {
	switch n.kind {
	case kAgg:
		return true
	case kExpr:
		c, ok := n.x.(*call)
		return ok && c.window
	}
	return false
}

// column is one column of one table descriptor (an alias is a different descriptor).
type column struct {
	table *tableInfo
	name  string
}

// column writes a column reference, qualified unless the scope makes it unambiguous.
func (w *Writer) column(c *column) {
	if c == nil {
		w.Fail(ErrInvalid, "column descriptor not bound: declare its table with expr.NewTable")
		return
	}
	t := c.table
	if t.err != "" {
		w.Fail(ErrInvalid, t.err)
		return
	}
	if !w.scope.bare && t != w.scope.sole {
		t.writeRef(w)
		w.Char('.')
	}
	w.Ident(c.name)
}

// Of is implemented by every typed expression whose SQL value has Go type T: Column[T],
// Nullable[T] and Expr[T]. Functions that combine expressions take Of[T], so the compiler
// checks that the operands' types agree. Only this package implements it; Raw is the explicit
// way to state a type the compiler cannot check.
type Of[T any] interface {
	Expression
	exprNode() node
	ofType(*T)
}

// ColumnOf is a column (Column[T] or Nullable[T]) holding values of type T.
type ColumnOf[T any] interface {
	Of[T]
	columnRef() *column
}

// QueryOf is a query that yields one column of type T: a subquery usable in IN and as a scalar.
// The builder package's SelectOne returns one.
type QueryOf[T any] interface {
	Query
	queryOf(*T)
}

// QueryType is embedded by query types that yield one column of type T, to implement QueryOf[T].
// Embedding it asserts the column's type; builder.SelectOne does so from a typed expression.
type QueryType[T any] struct{}

func (QueryType[T]) queryOf(*T) {}

// AnyColumn is a column of any type (Column[T] or Nullable[T]), for places that need only its
// name: an upsert's conflict target.
type AnyColumn interface {
	Expression
	ColumnName() string
	columnRef() *column
}

// WriteColumnName writes c's name alone, unqualified: "email".
func (w *Writer) WriteColumnName(c AnyColumn) {
	if c == nil {
		w.column(nil)
		return
	}
	col := c.columnRef()
	if col == nil || col.table.err != "" {
		w.column(col)
		return
	}
	w.Ident(col.name)
}

// ColumnOfSource reports whether c is one of src's columns.
func ColumnOfSource(c AnyColumn, src Source) bool {
	return c != nil && src != nil && c.columnRef() != nil && c.columnRef().table == src.sourceInfo()
}
