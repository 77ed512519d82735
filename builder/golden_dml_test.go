package builder_test

import (
	"database/sql"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

func insertCases() []goldenCase {
	cases := []goldenCase{
		{"one row", builder.InsertInto(Users).Values(Users.Name.Set("ann"), Users.Email.Set("a@x.org"), Users.Active.Set(true))},
		{"many rows", builder.InsertInto(Users).
			Values(Users.Name.Set("ann"), Users.Email.Set("a@x.org")).
			Values(Users.Name.Set("bob"), Users.Email.SetNull()).
			Values(Users.Name.Set("cy"), Users.Email.SetNullable(sql.Null[string]{V: "c@x.org", Valid: true}))},
		{"expression value", builder.InsertInto(Users).Values(Users.Name.SetExpr(expr.Lower(expr.Val("ANN"))), Users.Visits.Set(1))},
		{"default value", builder.InsertInto(Users).Values(Users.Name.Set("ann"), Users.Visits.SetDefault())},
		{"returning", builder.InsertInto(Users).Values(Users.Name.Set("ann")).Returning(Users.ID, Users.CreatedAt)},
		{"default values", builder.InsertInto(Users).DefaultValues()},
		{"default values returning", builder.InsertInto(Users).DefaultValues().Returning(Users.ID)},
		{"from select", builder.InsertInto(Archive).FromSelect(
			builder.Select().From(Users).Where(Users.Active.Eq(false)),
			Archive.ID.SetExpr(Users.ID), Archive.Name.SetExpr(Users.Name))},
		{"from select joined", builder.InsertInto(Archive).FromSelect(
			builder.Select().From(u).Join(o, o.UserID.EqExpr(u.ID)).Where(o.Total.Gt(3.0)).Limit(2),
			Archive.ID.SetExpr(u.ID), Archive.Name.SetExpr(u.Name))},
		{"on conflict do nothing", builder.InsertInto(Users).Values(Users.ID.Set(1), Users.Name.Set("ann")).OnConflict(Users.ID).DoNothing()},
		{"on conflict do update", builder.InsertInto(Users).Values(Users.ID.Set(1), Users.Name.Set("ann"), Users.Visits.Set(1)).
			OnConflict(Users.ID).DoUpdate(Users.Name.SetExpr(expr.Excluded(Users.Name)),
			Users.Visits.SetExpr(expr.Add(Users.Visits, expr.Excluded(Users.Visits))))},
		{"on conflict do update returning", builder.InsertInto(Users).Values(Users.ID.Set(1), Users.Email.Set("e")).
			OnConflict(Users.ID).DoUpdate(Users.Email.SetExpr(expr.Excluded(Users.Email))).Returning(Users.Email)},
		{"do update without target", builder.InsertInto(Users).Values(Users.ID.Set(1), Users.Name.Set("x")).
			DoUpdate(Users.Name.SetExpr(expr.Excluded(Users.Name)))},
		{"ignore", builder.InsertInto(Users).Values(Users.ID.Set(1), Users.Name.Set("ann")).Ignore()},
		{"with cte", builder.InsertInto(Archive).FromSelect(builder.Select().From(Totals),
			Archive.ID.SetExpr(Totals.UserID), Archive.Name.SetExpr(expr.Cast[string](Totals.Sum))).
			With(builder.CTE(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).GroupBy(Orders.UserID)))},
		// INSERT ... SELECT goes on, after the SELECT, to what follows the rows.
		{"select returning", builder.InsertInto(Archive).FromSelect(builder.Select().From(Users).Where(Users.Active.Eq(true)),
			Archive.ID.SetExpr(Users.ID)).Returning(Archive.ID)},
		{"select on conflict", builder.InsertInto(Archive).FromSelect(builder.Select().From(Users),
			Archive.ID.SetExpr(Users.ID)).OnConflict(Archive.ID).DoNothing()},
	}
	return cases
}

func TestGoldenInsert(t *testing.T) { checkGolden(t, "insert", insertCases()) }

func updateCases() []goldenCase {
	cases := []goldenCase{
		{"set values", builder.Update(Users).Set(Users.Name.Set("bob"), Users.Email.Set("b@x.org")).Where(Users.ID.Eq(7))},
		{"set expressions", builder.Update(Users).Set(Users.Visits.SetExpr(expr.Add(Users.Visits, expr.Val[int32](1))), Users.Email.SetNull()).
			Where(Users.Email.Eq(""))},
		{"set default", builder.Update(Users).Set(Users.Visits.SetDefault()).AllRows()},
		{"no where", builder.Update(Users).Set(Users.Active.Set(false))},
		{"all rows", builder.Update(Users).Set(Users.Active.Set(false)).AllRows()},
		{"aliased", builder.Update(u).Set(u.Name.Set("x")).Where(u.ID.Eq(1))},
		{"from", builder.Update(Users).Set(Users.Visits.Set(0)).From(Orders).
			Where(Orders.UserID.EqExpr(Users.ID), Orders.Total.Gt(100.0))},
		{"from expression", builder.Update(Users).Set(Users.Name.SetExpr(expr.Concat(Users.Name, Orders.Note))).From(Orders).
			Where(Orders.UserID.EqExpr(Users.ID))},
		{"join", builder.Update(Users).Set(Users.Visits.Set(0)).Join(Orders, Orders.UserID.EqExpr(Users.ID)).
			Where(Orders.Total.Gt(100.0))},
		// The ON argument comes before the SET arguments on MySQL and after them elsewhere.
		{"join with bound on, aliases and from", builder.Update(u).Set(u.Name.SetExpr(expr.CoalesceExpr(o.Note, u.Name)), u.Visits.Set(1)).
			Join(o, expr.And(o.UserID.EqExpr(u.ID), o.Total.Gt(5.0))).From(Archive).Where(Archive.ID.EqExpr(u.ID), u.Active.Eq(true))},
		{"join without where", builder.Update(Users).Set(Users.Active.Set(false)).Join(Orders, Orders.UserID.EqExpr(Users.ID))},
		{"join with limit", builder.Update(Users).Set(Users.Active.Set(false)).Join(Orders, Orders.UserID.EqExpr(Users.ID)).Limit(1)},
		{"returning", builder.Update(Users).Set(Users.Active.Set(true)).Where(Users.ID.Eq(1)).Returning(Users.ID, Users.Name)},
		{"order limit", builder.Update(Users).Set(Users.Active.Set(false)).Where(Users.Visits.Eq(0)).OrderBy(Users.ID.Asc()).Limit(10)},
		{"subquery", builder.Update(Users).Set(Users.Visits.SetExpr(expr.Cast[int32](expr.Subquery(
			builder.SelectOne(expr.CountAll()).From(Orders).Where(Orders.UserID.EqExpr(Users.ID)))))).Where(Users.Active.Eq(true))},
		{"with cte", builder.Update(Users).Set(Users.Active.Set(true)).Where(Users.ID.InQuery(builder.SelectOne(Totals.UserID).From(Totals))).
			With(builder.CTE(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).GroupBy(Orders.UserID)))},
	}
	return cases
}

func TestGoldenUpdate(t *testing.T) { checkGolden(t, "update", updateCases()) }

func deleteCases() []goldenCase {
	cases := []goldenCase{
		{"where", builder.DeleteFrom(Users).Where(Users.ID.Eq(7))},
		{"all", builder.DeleteFrom(Orders)},
		{"all rows", builder.DeleteFrom(Orders).AllRows()},
		{"in subquery", builder.DeleteFrom(Orders).Where(Orders.UserID.InQuery(builder.SelectOne(Users.ID).From(Users).Where(Users.Active.Eq(false))))},
		{"using", builder.DeleteFrom(Orders).Using(Users).Where(Orders.UserID.EqExpr(Users.ID), Users.Active.Eq(false))},
		{"using aliased", builder.DeleteFrom(o).Using(u).Where(o.UserID.EqExpr(u.ID), u.Name.Eq("x"))},
		{"returning", builder.DeleteFrom(Users).Where(Users.ID.Eq(7)).Returning(Users.ID, Users.Name)},
		{"order limit", builder.DeleteFrom(Orders).Where(Orders.Total.Lt(1.0)).OrderBy(Orders.ID.Asc()).Limit(100)},
		{"with cte", builder.DeleteFrom(Orders).Where(Orders.UserID.InQuery(builder.SelectOne(Totals.UserID).From(Totals))).
			With(builder.CTE(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).GroupBy(Orders.UserID)))},
	}
	return cases
}

func TestGoldenDelete(t *testing.T) { checkGolden(t, "delete", deleteCases()) }
