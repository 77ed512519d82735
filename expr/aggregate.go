package expr

// Number is the constraint of arithmetic, SUM and AVG: the integer and floating-point types
// and types defined on them.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// agg uses the column's pre-built aggregate for a plain column (no allocation):
// COUNT("o"."id").
func agg[T any](f fnID, x node) Expr[T] {
	if c, ok := x.x.(*column); ok && c != nil {
		return Expr[T]{&c.aggs[f].node}
	}
	return newExpr[T](call{name: fnNames[f], args: []node{x}, distinct: f == fnCountDistinct, window: true})
}

// Count is COUNT(x): the number of rows where x is not NULL.
func Count[T any](x Of[T]) Expr[int64] { return agg[int64](fnCount, x.exprNode()) }

// CountAll is COUNT(*).
func CountAll() Expr[int64] { return Expr[int64]{&countStar.node} }

// CountDistinct is COUNT(DISTINCT x).
func CountDistinct[T any](x Of[T]) Expr[int64] {
	return agg[int64](fnCountDistinct, x.exprNode())
}

// Sum is SUM(x), for numbers only. Over no rows it is NULL: wrap it in Coalesce when that
// can happen.
func Sum[T Number](x Of[T]) Expr[T] { return agg[T](fnSum, x.exprNode()) }

// Avg is AVG(x), for numbers only, as a float64.
func Avg[T Number](x Of[T]) Expr[float64] { return agg[float64](fnAvg, x.exprNode()) }

// Min is MIN(x).
func Min[T any](x Of[T]) Expr[T] { return agg[T](fnMin, x.exprNode()) }

// Max is MAX(x).
func Max[T any](x Of[T]) Expr[T] { return agg[T](fnMax, x.exprNode()) }

// RowNumber is the window function ROW_NUMBER(); follow it with Over.
func RowNumber() Expr[int64] { return fn[int64]("ROW_NUMBER", true) }

// Rank is the window function RANK().
func Rank() Expr[int64] { return fn[int64]("RANK", true) }

// DenseRank is the window function DENSE_RANK().
func DenseRank() Expr[int64] { return fn[int64]("DENSE_RANK", true) }
