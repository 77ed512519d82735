package builder_test

import (
	"fmt"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

func ExampleUpdateStmt_AllRows() {
	// A filter list that came out empty is not "every row" unless the code says so.
	var filters []expr.Cond
	_, _, err := builder.Update(Users).Set(Users.Active.Set(false)).Where(filters...).Build(dialect.Postgres)
	fmt.Println(err)

	sql, _, _ := builder.Update(Users).Set(Users.Active.Set(false)).AllRows().Build(dialect.Postgres)
	fmt.Println(sql)
	// Output:
	// typedsql: WHERE: UPDATE "users" without WHERE would change every row: add Where(...), or call AllRows() if every row is meant (dialect postgres)
	// UPDATE "users" SET "active" = $1
}

func ExampleDeleteStmt_AllRows() {
	sql, _, _ := builder.DeleteFrom(Orders).AllRows().Build(dialect.SQLite)
	fmt.Println(sql)
	// Output:
	// DELETE FROM "orders"
}

func ExampleSelect_withoutFrom() {
	// SELECT without FROM is fine for values, and a build error for columns.
	sql, _, _ := builder.Select(expr.Val(1).As("one")).Build(dialect.SQLite)
	fmt.Println(sql)
	_, _, err := builder.Select(Users.ID).Where(Users.Name.Eq("ann")).Build(dialect.SQLite)
	fmt.Println(err)
	// Output:
	// SELECT ? AS "one"
	// typedsql: SELECT: column "users.id" in a SELECT without FROM: add From(users) (dialect sqlite)
}

func ExampleCTESelect() {
	// Each value is assigned to a CTE column by the compiler's type check, in any order.
	sums := builder.CTESelect(Totals, builder.Select().From(Orders).GroupBy(Orders.UserID),
		Totals.Sum.SetExpr(expr.Sum(Orders.Total)), Totals.UserID.SetExpr(Orders.UserID))
	q := builder.Select(Totals.UserID).From(Totals).Where(Totals.Sum.Gt(50.0)).With(sums)

	sql, _, _ := q.Build(dialect.Postgres)
	fmt.Println(sql)
	// Output:
	// WITH "totals" ("sum", "user_id") AS (SELECT SUM("total"), "user_id" FROM "orders" GROUP BY "user_id") SELECT "user_id" FROM "totals" WHERE "sum" > $1
}

func ExampleCTE_byName() {
	// The items bind to Totals' columns by name, so their order does not matter.
	sums := builder.Select(expr.Sum(Orders.Total).As("sum"), Orders.UserID).From(Orders).GroupBy(Orders.UserID)
	q := builder.Select(Totals.UserID).From(Totals).With(builder.CTE(Totals, sums))
	sql, _, _ := q.Build(dialect.Postgres)
	fmt.Println(sql)

	// An unnamed SUM where user_id's column is named by another item is refused, not swapped.
	swapped := builder.Select(expr.Sum(Orders.Total), Orders.UserID).From(Orders).GroupBy(Orders.UserID)
	_, _, err := builder.Select(Totals.UserID).From(Totals).With(builder.CTE(Totals, swapped)).Build(dialect.Postgres)
	fmt.Println(err)
	// Output:
	// WITH "totals" ("sum", "user_id") AS (SELECT SUM("total") AS "sum", "user_id" FROM "orders" GROUP BY "user_id") SELECT "user_id" FROM "totals"
	// typedsql: WITH: CTE "totals": select item 1 has no name, and column "user_id" at its position is named by another item: name it with As (dialect postgres)
}

func ExampleSelectStmt_Where_escapeLike() {
	search := "50%_off" // user input: its % and _ must not be wildcards
	q := builder.Select(Orders.ID).From(Orders).Where(expr.Like(Orders.Note, "%"+expr.EscapeLike(search)+"%"))
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.SQLite} {
		sql, args, _ := q.Build(d)
		fmt.Println(sql, args)
	}
	// Output:
	// SELECT "id" FROM "orders" WHERE "note" LIKE $1 [%50\%\_off%]
	// SELECT "id" FROM "orders" WHERE "note" LIKE ? ESCAPE '\' [%50\%\_off%]
}

func ExampleUpdateStmt_Set_setPtr() {
	// Nullable.SetPtr assigns a pointer's value, or NULL for nil.
	var email *string // an optional field of a request: nil means NULL
	sql, args, _ := builder.Update(Users).Set(Users.Email.SetPtr(email)).Where(Users.ID.Eq(7)).Build(dialect.Postgres)
	fmt.Println(sql, args)
	addr := "ann@example.com"
	_, args, _ = builder.Update(Users).Set(Users.Email.SetPtr(&addr)).Where(Users.ID.Eq(7)).Build(dialect.Postgres)
	fmt.Println(args)
	// Output:
	// UPDATE "users" SET "email" = NULL WHERE "id" = $1 [7]
	// [ann@example.com 7]
}
