package builder_test

import (
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

// WeirdTable has names that need escaping in every dialect and a reserved word.
type WeirdTable struct {
	expr.Table
	DQ     expr.Column[string] `db:"we\"ird"`
	BQ     expr.Column[string] "db:\"we`ird\""
	Select expr.Column[int64]  `db:"select"`
}

var (
	Weird = expr.NewTable[WeirdTable]("ta\"b`le")
	t0    = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
)

func selectCases() []goldenCase {
	u2 := expr.As(Users, "u2")
	bigSpenders := builder.SelectOne(Orders.UserID).From(Orders).Where(Orders.Total.Gt(100.0))
	cases := []goldenCase{
		{"basic", builder.Select(Users.ID, Users.Name, Users.Email).From(Users).Where(Users.ID.Eq(42))},
		{"no from", builder.Select(expr.Val(1), expr.Val("x").As("x"))},
		{"distinct", builder.SelectDistinct(Users.Name).From(Users).OrderBy(Users.Name.Asc())},
		{"column aliases", builder.Select(Users.ID.As("user_id"), expr.CountAll().As("n")).From(Users).GroupBy(Users.ID)},
		{"schema-qualified table", builder.Select(Archive.ID, Archive.Name).From(Archive).Where(Archive.ID.Gt(1))},
		{"escaped identifiers", builder.Select(Weird.DQ, Weird.BQ, Weird.Select).From(Weird).Where(Weird.Select.Eq(1))},
		{"escaped identifiers aliased", builder.Select(expr.As(Weird, "a\"`").DQ).From(expr.As(Weird, "a\"`"))},
		{"several from", builder.Select(Users.Name, Orders.Total).From(Users, Orders).Where(Orders.UserID.EqExpr(Users.ID))},
		{"inner join", builder.Select(u.Name, o.Total).From(u).Join(o, o.UserID.EqExpr(u.ID))},
		{"left join", builder.Select(u.Name, o.Total).From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).Where(o.ID.IsNull())},
		{"right join", builder.Select(u.Name, o.Total).From(u).RightJoin(o, o.UserID.EqExpr(u.ID))},
		{"full join", builder.Select(u.Name, o.Total).From(u).FullJoin(o, o.UserID.EqExpr(u.ID))},
		{"cross join", builder.Select(u.Name, u2.Name).From(u).CrossJoin(u2).Where(u.ID.LtExpr(u2.ID))},
		{"self join", builder.Select(u.Name, u2.Name).From(u).Join(u2, u2.Visits.EqExpr(u.Visits)).Where(u.ID.NeExpr(u2.ID))},
		{"repeated where", builder.Select(Users.ID).From(Users).
			Where(Users.Active.Eq(true)).Where(Users.Visits.Ge(10), Users.Visits.Le(20)).
			Where(expr.Or(Users.Name.Eq("a"), expr.And(Users.Name.Eq("b"), expr.Not(Users.Email.IsNull()))))},
		{"group by having", builder.Select(Orders.UserID, expr.Sum(Orders.Total).As("total")).From(Orders).
			GroupBy(Orders.UserID).Having(expr.Sum(Orders.Total).Gt(50.0), expr.CountAll().Ge(2))},
		{"order by", builder.Select(Users.ID).From(Users).OrderBy(Users.Name.Asc(), Users.ID.Desc())},
		{"order by nulls", builder.Select(Users.ID).From(Users).OrderBy(Users.Email.Asc().NullsLast(), Users.Name.Desc().NullsFirst())},
		{"limit offset", builder.Select(Users.ID).From(Users).OrderBy(Users.ID.Asc()).Limit(10).Offset(20)},
		{"limit", builder.Select(Users.ID).From(Users).Limit(5)},
		{"offset only", builder.Select(Users.ID).From(Users).OrderBy(Users.ID.Asc()).Offset(20)},
		{"for update", builder.Select(Users.ID).From(Users).Where(Users.ID.Eq(1)).ForUpdate()},
		{"for update skip locked", builder.Select(Users.ID).From(Users).Limit(1).ForUpdate().SkipLocked()},
		{"for share nowait", builder.Select(Users.ID).From(Users).ForShare().NoWait()},
		{"for share", builder.Select(Users.ID).From(Users).ForShare()},
		{"from subquery", builder.Select(Totals.UserID, Totals.Sum).
			From(expr.FromQuery(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total).As("sum")).
				From(Orders).Where(Orders.Total.Gt(1.5)).GroupBy(Orders.UserID))).
			Where(Totals.Sum.Gt(10.0))},
		{"in subquery", builder.Select(Users.Name).From(Users).Where(Users.ID.InQuery(bigSpenders))},
		{"not in subquery", builder.Select(Users.Name).From(Users).Where(Users.ID.NotInQuery(bigSpenders))},
		{"exists correlated", builder.Select(Users.Name).From(Users).Where(
			expr.Exists(builder.Select(expr.Val(1)).From(Orders).Where(Orders.UserID.EqExpr(Users.ID), Orders.Total.Gt(5.0))),
			Users.Active.Eq(true))},
		{"not exists", builder.Select(Users.Name).From(Users).Where(
			expr.NotExists(builder.Select(Orders.ID).From(Orders).Where(Orders.UserID.EqExpr(Users.ID))))},
		{"scalar subquery", builder.Select(Users.Name,
			expr.Subquery(builder.SelectOne(expr.CountAll()).From(Orders).Where(Orders.UserID.EqExpr(Users.ID))).As("orders")).
			From(Users).Where(Users.Visits.Gt(3))},
		{"cte", builder.Select(Totals.UserID, Totals.Sum).From(Totals).Where(Totals.Sum.Gt(10.0)).
			With(builder.CTE(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).
				Where(Orders.Note.Ne("x")).GroupBy(Orders.UserID)))},
		{"cte joined", builder.Select(Users.Name, Totals.Sum).From(Users).Join(Totals, Totals.UserID.EqExpr(Users.ID)).
			Where(Users.Active.Eq(true)).
			With(builder.CTE(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).GroupBy(Orders.UserID)))},
		{"cte recursive", builder.Select(Counter.N).From(Counter).WithRecursive(builder.CTE(Counter,
			builder.UnionAll(builder.Select(expr.Val[int64](1)),
				builder.Select(expr.Add(Counter.N, expr.Val[int64](1))).From(Counter).Where(Counter.N.Lt(5)))))},
		{"window", builder.Select(Orders.ID,
			expr.RowNumber().Over(expr.PartitionBy(Orders.UserID).OrderBy(Orders.Total.Desc())).As("rank"),
			expr.Sum(Orders.Total).Over(expr.PartitionBy(Orders.UserID)).As("user_total"),
			expr.CountAll().Over(expr.Window{}).As("all")).From(Orders)},
		{"window order only", builder.Select(Orders.ID, expr.Rank().Over(expr.Window{}.OrderBy(Orders.Total.Asc())),
			expr.DenseRank().Over(expr.Window{}.OrderBy(Orders.Total.Asc()))).From(Orders)},
		{"placeholder numbering", builder.Select(Users.ID, expr.Val("sel")).From(Users).
			Where(Users.Name.Eq("w1"), Users.ID.InQuery(builder.SelectOne(Orders.UserID).From(Orders).Where(Orders.Total.Gt(2.5), Orders.Note.In("a", "b"))),
				Users.Visits.Eq(3)).
			With(builder.CTE(Totals, builder.Select(Orders.UserID, expr.Val(0.5)).From(Orders).Where(Orders.ID.Eq(7))))},
	}
	return cases
}

func TestGoldenSelect(t *testing.T) { checkGolden(t, "select", selectCases()) }

// CounterTable names a recursive CTE.
type CounterTable struct {
	expr.Table
	N expr.Column[int64] `db:"n"`
}

var Counter = expr.NewTable[CounterTable]("counter")

func setOperationsCases() []goldenCase {
	active := builder.Select(Users.ID, Users.Name).From(Users).Where(Users.Active.Eq(true))
	buyers := builder.Select(Users.ID, Users.Name).From(Users).Join(Orders, Orders.UserID.EqExpr(Users.ID)).Where(Orders.Total.Gt(9.5))
	cases := []goldenCase{
		{"union", builder.Union(active, buyers)},
		{"union all three", builder.UnionAll(active, buyers, builder.Select(Users.ID, Users.Name).From(Users).Where(Users.Visits.Eq(0)))},
		{"intersect", builder.Intersect(active, buyers)},
		{"except", builder.Except(active, buyers)},
		{"union order limit", builder.Union(active, buyers).OrderBy(Users.Name.Desc()).Limit(10).Offset(5)},
		{"chained", builder.Union(active, buyers).Except(builder.Select(Users.ID, Users.Name).From(Users).Where(Users.Email.IsNull()))},
		{"chained intersect", builder.Union(active, buyers).Intersect(builder.Select(Users.ID, Users.Name).From(Users).Where(Users.ID.Gt(1))).
			UnionAll(active).Intersect(buyers)},
		{"operand with limit", builder.Union(builder.Select(Users.ID, Users.Name).From(Users).OrderBy(Users.ID.Asc()).Limit(1), buyers)},
		{"nested first", builder.Union(builder.Intersect(active, buyers), builder.Select(Users.ID, Users.Name).From(Users).Where(Users.ID.Eq(1)))},
		{"nested second", builder.Union(active, builder.Intersect(buyers, builder.Select(Users.ID, Users.Name).From(Users).Where(Users.ID.Eq(1))))},
		{"as subquery", builder.Select(Users.Name).From(Users).Where(Users.ID.InQuery(
			builder.SelectOne(Orders.UserID).From(Orders).Where(Orders.Total.Gt(1.0))))},
	}
	return cases
}

func TestGoldenSetOperations(t *testing.T) { checkGolden(t, "setop", setOperationsCases()) }
