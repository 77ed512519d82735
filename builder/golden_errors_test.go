package builder_test

import (
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

// BadTable is declared with names no engine can quote safely.
type BadTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

type NulColumnTable struct {
	expr.Table
	X expr.Column[int64] "db:\"a\x00b\""
}

type DupTable struct {
	expr.Table
	A expr.Column[int64] `db:"x"`
	B expr.Column[int64] `db:"x"`
}

// unbound is a table struct that was never passed to NewTable.
var unbound UsersTable

// TestGoldenErrors: statements that cannot be built, each with the clause and dialect named.
func errorsCases() []goldenCase {
	nul := expr.NewTable[BadTable]("us\x00ers")
	cases := []goldenCase{
		{"empty in list", builder.Select(Users.ID).From(Users).Where(Users.ID.In())},
		{"empty not in list", builder.Select(Users.ID).From(Users).Where(Users.Name.NotIn([]string{}...))},
		{"update without set", builder.Update(Users).Where(Users.ID.Eq(1))},
		{"select without columns", builder.Select().From(Users)},
		{"nul in table name", builder.Select(nul.ID).From(nul)},
		{"nul in column name", builder.Select(expr.CountAll()).From(expr.NewTable[NulColumnTable]("t"))},
		{"nul in alias", builder.Select(expr.CountAll()).From(expr.As(Users, "a\x00"))},
		{"duplicate column", builder.Select(expr.CountAll()).From(expr.NewTable[DupTable]("t"))},
		{"empty table name", builder.Select(expr.CountAll()).From(expr.NewTable[UsersTable](""))},
		{"unbound column", builder.Select(unbound.ID).From(Users)},
		{"unbound table", builder.Select(Users.ID).From(&unbound)},
		{"zero cond", builder.Select(Users.ID).From(Users).Where(expr.Cond{})},
		{"zero expr", builder.Select(expr.Expr[int]{}).From(Users)},
		{"nil expression", builder.Select(nil).From(Users)},
		{"nil source", builder.Select(Users.ID).From(Users).Join(nil, Users.ID.Eq(1))},
		{"raw too few args", builder.Select(expr.Raw[int]("? + ?", 1)).From(Users)},
		{"raw too many args", builder.Select(expr.Raw[int]("?", 1, 2)).From(Users)},
		{"over on non-aggregate", builder.Select(expr.Lower(Users.Name).Over(expr.Window{})).From(Users)},
		{"bad function name", builder.Select(expr.Func[int]("f(x); drop table users; --")).From(Users)},
		{"bad cast type", builder.Select(expr.CastAs[int](Users.ID, "INT); DROP")).From(Users)},
		{"cast without sql type", builder.Select(expr.Cast[struct{}](Users.ID)).From(Users)},
		{"negative limit", builder.Select(Users.ID).From(Users).Limit(-1)},
		{"negative offset", builder.Select(Users.ID).From(Users).Offset(-5)},
		{"skip locked without lock", builder.Select(Users.ID).From(Users).SkipLocked()},
		{"case without when", builder.Select(expr.Case[int]().End()).From(Users)},
		{"concat of nothing", builder.Select(expr.Concat[string]()).From(Users)},
		{"insert without values", builder.InsertInto(Users)},
		{"insert row width", builder.InsertInto(Users).Values(Users.Name.Set("a")).Values(Users.Name.Set("b"), Users.Visits.Set(1))},
		{"insert row columns", builder.InsertInto(Users).Values(Users.Name.Set("a")).Values(Users.Email.Set("b"))},
		{"insert empty row", builder.InsertInto(Users).Values()},
		{"insert values and defaults", builder.InsertInto(Users).Values(Users.Name.Set("a")).DefaultValues()},
		{"insert foreign column", builder.InsertInto(Users).Values(Orders.Total.Set(1))},
		{"insert aliased column", builder.InsertInto(Users).Values(u.Name.Set("x"))},
		{"insert column twice", builder.InsertInto(Users).Values(Users.Name.Set("a"), Users.Name.Set("b"))},
		{"insert select with list", builder.InsertInto(Archive).FromSelect(builder.Select(Users.ID).From(Users), Archive.ID.SetExpr(Users.ID))},
		{"insert select nil", builder.InsertInto(Archive).FromSelect(nil, Archive.ID.Set(1))},
		{"insert select and values", builder.InsertInto(Archive).FromSelect(builder.Select().From(Users), Archive.ID.SetExpr(Users.ID)).Values(Archive.ID.Set(2))},
		{"on conflict without action", builder.InsertInto(Users).Values(Users.ID.Set(1)).OnConflict(Users.ID)},
		{"on conflict foreign column", builder.InsertInto(Users).Values(Users.ID.Set(1)).OnConflict(Orders.ID).DoNothing()},
		{"do nothing without target", builder.InsertInto(Users).Values(Users.ID.Set(1)).DoNothing()},
		{"do update without set", builder.InsertInto(Users).Values(Users.ID.Set(1)).OnConflict(Users.ID).DoUpdate()},
		{"ignore and on conflict", builder.InsertInto(Users).Values(Users.ID.Set(1)).Ignore().OnConflict(Users.ID).DoNothing()},
		{"update foreign column", builder.Update(Users).Set(Orders.Total.Set(2))},
		{"update without table", builder.Update(nil).Set(Users.Name.Set("x"))},
		{"update from with limit", builder.Update(Users).Set(Users.Name.Set("x")).From(Orders).Limit(1)},
		{"delete without table", builder.DeleteFrom(nil)},
		{"delete using with limit", builder.DeleteFrom(Users).Using(Orders).Limit(1)},
		{"nil subquery", builder.Select(Users.ID).From(Users).Where(expr.Exists(nil))},
		{"nil set operand", builder.Union(builder.Select(Users.ID).From(Users), nil)},
		{"nil statement", (*builder.SelectStmt)(nil)},
		{"cte without query", builder.Select(Totals.Sum).From(Totals).With(builder.CTE(Totals, nil))},
		// More bound arguments than any engine takes in one statement (65535; SQLite 32766).
		{"too many arguments", builder.Select(Users.ID).From(Users).Where(Users.ID.In(make([]int64, 65536)...))},
	}
	return cases
}

func TestGoldenErrors(t *testing.T) { checkGolden(t, "errors", errorsCases()) }
