package builder

import "github.com/typedsql/typedsql/expr"

// SelectOf is a SELECT of exactly one typed expression: a subquery usable where a value of
// type T is expected — col.InQuery(q), expr.Subquery(q). Its methods return SelectOf[T], so a
// chain keeps the type.
//
//	big := builder.SelectOne(Orders.UserID).From(Orders).Where(Orders.Total.Gt(100))
//	builder.Select(Users.Name).From(Users).Where(Users.ID.InQuery(big))
//	// ... WHERE "id" IN (SELECT "user_id" FROM "orders" WHERE "total" > $1)
type SelectOf[T any] struct {
	*SelectStmt
	expr.QueryType[T]
}

// SelectOne starts SELECT x for a typed single-column subquery.
func SelectOne[T any](x expr.Of[T]) SelectOf[T] {
	return SelectOf[T]{SelectStmt: Select(expr.AsExpression(x))}
}

// Distinct makes it SELECT DISTINCT.
func (s SelectOf[T]) Distinct() SelectOf[T] { s.SelectStmt.Distinct(); return s }

// From adds FROM sources.
func (s SelectOf[T]) From(srcs ...expr.Source) SelectOf[T] { s.SelectStmt.From(srcs...); return s }

// Join adds INNER JOIN src ON on.
func (s SelectOf[T]) Join(src expr.Source, on expr.Cond) SelectOf[T] {
	s.SelectStmt.Join(src, on)
	return s
}

// LeftJoin adds LEFT JOIN src ON on.
func (s SelectOf[T]) LeftJoin(src expr.Source, on expr.Cond) SelectOf[T] {
	s.SelectStmt.LeftJoin(src, on)
	return s
}

// Where adds conditions, ANDed together.
func (s SelectOf[T]) Where(conds ...expr.Cond) SelectOf[T] { s.SelectStmt.Where(conds...); return s }

// GroupBy adds GROUP BY expressions.
func (s SelectOf[T]) GroupBy(xs ...expr.Expression) SelectOf[T] {
	s.SelectStmt.GroupBy(xs...)
	return s
}

// Having adds HAVING conditions.
func (s SelectOf[T]) Having(conds ...expr.Cond) SelectOf[T] {
	s.SelectStmt.Having(conds...)
	return s
}

// OrderBy adds ORDER BY items.
func (s SelectOf[T]) OrderBy(os ...expr.Order) SelectOf[T] { s.SelectStmt.OrderBy(os...); return s }

// Limit sets LIMIT n.
func (s SelectOf[T]) Limit(n int64) SelectOf[T] { s.SelectStmt.Limit(n); return s }

// Offset sets OFFSET n.
func (s SelectOf[T]) Offset(n int64) SelectOf[T] { s.SelectStmt.Offset(n); return s }
