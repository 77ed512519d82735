package builder_test

import (
	"errors"
	"fmt"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// The examples use the descriptors of schema_test.go: Users, Orders, and the aliases
// u = expr.As(Users, "u"), o = expr.As(Orders, "o").

func ExampleSelect() {
	q := builder.Select(Users.ID, Users.Name).From(Users).
		Where(Users.Active.Eq(true), expr.Like(Users.Name, "a%")).
		OrderBy(Users.Name.Asc()).Limit(10)

	sql, args, err := q.Build(dialect.Postgres)
	fmt.Println(sql)
	fmt.Println(args, err)
	// Output:
	// SELECT "id", "name" FROM "users" WHERE "active" = $1 AND "name" LIKE $2 ORDER BY "name" ASC LIMIT 10
	// [true a%] <nil>
}

func ExampleSelectStmt_LeftJoin() {
	orders := expr.Count(o.ID)
	q := builder.Select(u.Name, orders.As("orders")).
		From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).
		GroupBy(u.Name).Having(orders.Gt(3)).
		OrderBy(u.Name.Desc())

	sql, args, _ := q.Build(dialect.MySQL)
	fmt.Println(sql)
	fmt.Println(args)
	// Output:
	// SELECT `u`.`name`, COUNT(`o`.`id`) AS `orders` FROM `users` AS `u` LEFT JOIN `orders` AS `o` ON `o`.`user_id` = `u`.`id` GROUP BY `u`.`name` HAVING COUNT(`o`.`id`) > ? ORDER BY `u`.`name` DESC
	// [3]
}

func ExampleSelectOne() {
	big := builder.SelectOne(Orders.UserID).From(Orders).Where(Orders.Total.Gt(100.0))
	q := builder.Select(Users.Name).From(Users).Where(Users.ID.InQuery(big))

	sql, _, _ := q.Build(dialect.Postgres)
	fmt.Println(sql)
	// Output:
	// SELECT "name" FROM "users" WHERE "id" IN (SELECT "user_id" FROM "orders" WHERE "total" > $1)
}

func ExampleCTE() {
	// Totals names the CTE; its declared columns are the CTE's column list.
	sums := builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).GroupBy(Orders.UserID)
	q := builder.Select(Totals.UserID).From(Totals).Where(Totals.Sum.Gt(50.0)).
		With(builder.CTE(Totals, sums))

	sql, _, _ := q.Build(dialect.SQLite)
	fmt.Println(sql)
	// Output:
	// WITH "totals" ("user_id", "sum") AS (SELECT "user_id", SUM("total") FROM "orders" GROUP BY "user_id") SELECT "user_id" FROM "totals" WHERE "sum" > ?
}

func ExampleUnion() {
	q := builder.Union(
		builder.Select(Users.Name).From(Users).Where(Users.Active.Eq(true)),
		builder.Select(Archive.Name).From(Archive),
	).OrderBy(Users.Name.Asc())

	sql, _, _ := q.Build(dialect.Postgres)
	fmt.Println(sql)
	// Output:
	// SELECT "name" FROM "users" WHERE "active" = $1 UNION SELECT "name" FROM "old"."archive" ORDER BY "name" ASC
}

func ExampleInsertInto() {
	q := builder.InsertInto(Users).
		Values(Users.Name.Set("ann"), Users.Email.Set("ann@example.com")).
		Values(Users.Name.Set("bob"), Users.Email.SetNull()).
		Returning(Users.ID)

	sql, args, _ := q.Build(dialect.Postgres)
	fmt.Println(sql)
	fmt.Println(args)
	_, _, err := q.Build(dialect.MySQL)
	fmt.Println(err)
	// Output:
	// INSERT INTO "users" ("name", "email") VALUES ($1, $2), ($3, NULL) RETURNING "id"
	// [ann ann@example.com bob]
	// typedsql: RETURNING: INSERT ... RETURNING is not supported (dialect mysql)
}

func ExampleInsertStmt_OnConflict() {
	q := builder.InsertInto(Users).
		Values(Users.ID.Set(7), Users.Name.Set("ann")).
		OnConflict(Users.ID).
		DoUpdate(Users.Name.SetExpr(expr.Excluded(Users.Name)))

	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL} {
		sql, _, _ := q.Build(d)
		fmt.Println(sql)
	}
	// Output:
	// INSERT INTO "users" ("id", "name") VALUES ($1, $2) ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name"
	// INSERT INTO `users` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)
}

func ExampleUpdate() {
	q := builder.Update(Users).
		Set(Users.Name.Set("bob"), Users.Visits.SetExpr(expr.Add(Users.Visits, expr.Val[int32](1)))).
		Where(Users.ID.Eq(7))

	sql, args, _ := q.Build(dialect.SQLite)
	fmt.Println(sql)
	fmt.Println(args)
	// Output:
	// UPDATE "users" SET "name" = ?, "visits" = ("visits" + ?) WHERE "id" = ?
	// [bob 1 7]
}

func ExampleDeleteFrom() {
	q := builder.DeleteFrom(Orders).Using(Users).
		Where(Orders.UserID.EqExpr(Users.ID), Users.Active.Eq(false))

	sql, _, _ := q.Build(dialect.Postgres)
	fmt.Println(sql)
	_, _, err := q.Build(dialect.SQLite)
	fmt.Println(errors.Is(err, builder.ErrUnsupported), err)
	// Output:
	// DELETE FROM "orders" USING "users" WHERE "orders"."user_id" = "users"."id" AND "users"."active" = $1
	// true typedsql: USING: DELETE with other tables (USING) is not supported (dialect sqlite)
}

func ExampleSelectStmt_DebugSQL() {
	q := builder.Select(Users.ID).From(Users).Where(Users.Name.Eq("o'hara"), Users.Visits.In(1, 2))
	fmt.Println(q.DebugSQL(dialect.Postgres))
	// Output:
	// SELECT "id" FROM "users" WHERE "name" = 'o''hara' AND "visits" IN (1, 2)
}

func ExampleSelectStmt_Tables() {
	q := builder.Select(Users.Name).From(Users).
		Where(Users.ID.InQuery(builder.SelectOne(Orders.UserID).From(Orders)))
	fmt.Println(q.Tables())
	// Output:
	// [users orders]
}

func ExampleSelectStmt_Build_errors() {
	_, _, err := builder.Select(Users.ID).From(Users).Where(Users.ID.In()).Build(dialect.Postgres)
	fmt.Println(errors.Is(err, builder.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// typedsql: WHERE: IN with an empty value list (decide explicitly what an empty list means, e.g. skip the condition) (dialect postgres)
}

func ExampleUpdateStmt_Join() {
	// MySQL updates through a JOIN; PostgreSQL and SQLite, whose UPDATE has no JOIN, get the
	// same statement as FROM with the join condition leading the WHERE clause.
	q := builder.Update(u).Set(u.Active.Set(false)).
		Join(o, o.UserID.EqExpr(u.ID)).Where(o.Total.Gt(1000.0))

	for _, d := range []dialect.Dialect{dialect.MySQL, dialect.Postgres} {
		sql, args, _ := q.Build(d)
		fmt.Println(sql, args)
	}
	// Output:
	// UPDATE `users` AS `u` INNER JOIN `orders` AS `o` ON `o`.`user_id` = `u`.`id` SET `u`.`active` = ? WHERE `o`.`total` > ? [false 1000]
	// UPDATE "users" AS "u" SET "active" = $1 FROM "orders" AS "o" WHERE "o"."user_id" = "u"."id" AND "o"."total" > $2 [false 1000]
}

func ExampleTableLister() {
	var q builder.TableLister = builder.Select(u.Name).From(u).Join(o, o.UserID.EqExpr(u.ID))
	fmt.Println(q.Tables())
	// Output:
	// [users orders]
}
