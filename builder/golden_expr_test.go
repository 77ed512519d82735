package builder_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

// TestGoldenExpressions renders each expression form in a minimal SELECT.
func expressionsCases() []goldenCase {
	w := func(c expr.Cond) builder.Statement { return builder.Select(Users.ID).From(Users).Where(c) }
	s := func(x expr.Expression) builder.Statement { return builder.Select(x).From(Users) }
	so := func(x expr.Expression) builder.Statement { return builder.Select(x).From(Orders) }
	ref := UUID{1, 2, 3}
	cases := []goldenCase{
		{"eq", w(Users.Name.Eq("ann"))},
		{"ne", w(Users.Name.Ne("ann"))},
		{"lt le gt ge", w(expr.And(Users.Visits.Lt(1), Users.Visits.Le(2), Users.Visits.Gt(3), Users.Visits.Ge(4)))},
		{"time", w(Users.CreatedAt.Between(t0, t0.Add(time.Hour)))},
		{"not between", w(Users.Visits.NotBetween(1, 9))},
		{"in", w(Users.ID.In(1, 2, 3))},
		{"not in", w(Users.Name.NotIn("a", "b"))},
		{"is null", w(Users.Email.IsNull())},
		{"is not null", w(Users.Email.IsNotNull())},
		{"like", w(expr.Like(Users.Name, "a%"))},
		{"not like", w(expr.NotLike(Users.Email, "%@x.org"))},
		{"ilike", w(expr.ILike(Users.Name, "A%"))},
		{"not ilike", w(expr.NotILike(Users.Name, "A%"))},
		{"like expr", w(expr.LikeExpr(Users.Name, expr.Concat(Users.Email, expr.Val("%"))))},
		{"and or not", w(expr.Or(expr.And(Users.Active.Eq(true), Users.Visits.Gt(1)), expr.Not(Users.Name.Eq("x"))))},
		{"cond methods", w(Users.Active.Eq(true).And(Users.Visits.Gt(1)).Or(Users.ID.Eq(1)))},
		{"empty and or", w(expr.And(expr.And(), expr.Or()))},
		{"is true", w(expr.IsTrue(Users.Active))},
		{"compare columns", w(Users.Visits.GtExpr(expr.Add(Users.Visits, expr.Val[int32](1))))},
		{"arithmetic", so(expr.Div(expr.Mul(expr.Sub(expr.Add(Orders.Total, expr.Val(1.0)), expr.Val(2.0)), Orders.Total), expr.Neg(expr.Val(4.0))))},
		{"integer division", s(expr.Div(Users.Visits, expr.Add(Users.Visits, expr.Val[int32](2))))},
		{"integer division of a defined type", s(expr.Div(expr.Cast[Count](Users.Visits), expr.Val(Count(3))))},
		{"concat", s(expr.Concat(Users.Name, expr.Val(" <"), Users.Email, expr.Val(">")))},
		{"lower upper", s(expr.Lower(expr.Upper(Users.Name)))},
		{"case", s(expr.Case[string]().When(Users.Visits.Gt(10), expr.Val("many")).When(Users.Visits.Gt(0), expr.Val("some")).Else(expr.Val("none")))},
		{"case no else", s(expr.Case[int32]().When(Users.Active.Eq(true), Users.Visits).End())},
		{"coalesce", s(expr.CoalesceExpr(Users.Email, Users.Name, expr.Val("?")))},
		{"cast", s(expr.Cast[string](Users.ID))},
		{"cast types", builder.Select(expr.Cast[int64](Users.Name), expr.Cast[float64](Users.Visits), expr.Cast[bool](Users.Visits),
			expr.Cast[time.Time](Users.Name), expr.Cast[[]byte](Users.Name), expr.Cast[uint8](Users.Visits)).From(Users)},
		{"cast as", so(expr.CastAs[float64](Orders.Total, "DECIMAL(10, 2)"))},
		{"func", s(expr.Func[string]("replace", Users.Name, expr.Val("a"), expr.Val("b")))},
		{"aggregates", builder.Select(expr.Count(Orders.Note), expr.CountDistinct(Orders.UserID), expr.Sum(Orders.Total),
			expr.Avg(Orders.Total), expr.Min(Orders.Total), expr.Max(Orders.Note)).From(Orders)},
		{"aggregates of expressions", builder.Select(expr.Sum(expr.Mul(Orders.Total, expr.Val(2.0))), expr.CountDistinct(expr.Lower(Orders.Note)),
			expr.Max(expr.CoalesceExpr(Orders.Note, expr.Val("")))).From(Orders)},
		{"custom aggregate over", builder.Select(expr.Aggregate[float64]("stddev", Orders.Total).Over(expr.PartitionBy(Orders.UserID))).From(Orders)},
		{"raw", s(expr.Raw[int64]("CAST(? AS INTEGER) + LENGTH('??')", 2))},
		{"raw cond", w(expr.RawCond("visits > ?", 1))},
		{"null", s(expr.CoalesceExpr(Users.Email, expr.Null[string]()))},
		{"valuer and json", builder.Select(Orders.ID).From(Orders).Where(Orders.Ref.Eq(ref), Orders.Meta.Eq(json.RawMessage(`{"a":1}`)), Orders.Blob.Eq([]byte{0xde, 0xad}))},
		{"bool and nil", w(Users.Active.In(true, false))},
	}
	return cases
}

func TestGoldenExpressions(t *testing.T) { checkGolden(t, "expr", expressionsCases()) }

// Count is a defined integer type: Div must divide it as an integer too.
type Count uint16
