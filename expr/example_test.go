package expr_test

import (
	"fmt"
	"time"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

func show(d dialect.Dialect, e expr.Expression) {
	sql, args, err := expr.Render(d, e)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sql, args)
}

func ExampleNewTable() {
	type UsersTable struct {
		expr.Table
		ID        expr.Column[int64]     `db:"id"`
		Name      expr.Column[string]    `db:"name"`
		Email     expr.Nullable[string]  `db:"email"`
		Active    expr.Column[bool]      `db:"active"`
		CreatedAt expr.Column[time.Time] `db:"created_at"`
		Visits    expr.Column[int32]     `db:"visits"`
	}
	Users := expr.NewTable[UsersTable]("users")

	fmt.Println(Users.TableName(), Users.ColumnNames())
	show(dialect.Postgres, Users.ID.Eq(42))
	show(dialect.MySQL, Users.Email.IsNull())
	// Output:
	// users [id name email active created_at visits]
	// "users"."id" = $1 [42]
	// `users`.`email` IS NULL []
}

func ExampleAs() {
	p := expr.As(People, "p")
	show(dialect.Postgres, p.ID.EqExpr(People.ID))
	fmt.Println(p.TableName(), p.TableAlias())
	// Output:
	// "p"."id" = "app"."people"."id" []
	// app.people p
}

func ExampleLike() {
	// LIKE is a function, not a method, so that it only accepts text: expr.Like(People.ID, 1)
	// does not compile (int64 does not satisfy ~string).
	show(dialect.Postgres, expr.Like(People.FullName, "a%"))
	show(dialect.SQLite, expr.ILike(People.FullName, "A%"))
	// Output:
	// "app"."people"."full_name" LIKE $1 [a%]
	// LOWER("app"."people"."full_name") LIKE LOWER(?) ESCAPE '\' [A%]
}

func ExampleSum() {
	show(dialect.Postgres, expr.Sum(People.UserID).Gt(100))
	show(dialect.Postgres, expr.Avg(People.HTTPCode).As("avg_code"))
	// Output:
	// SUM("app"."people"."user_id") > $1 [100]
	// AVG("app"."people"."http_code") AS "avg_code" []
}

func ExampleAdd() {
	show(dialect.MySQL, expr.Add(People.UserID, expr.Val[int64](1)).Lt(10))
	// Output:
	// (`app`.`people`.`user_id` + ?) < ? [1 10]
}

func ExampleCase() {
	label := expr.Case[string]().
		When(People.HTTPCode.Lt(400), expr.Val("ok")).
		Else(expr.Val("error"))
	show(dialect.SQLite, label.As("label"))
	// PostgreSQL cannot infer the type of a parameter standing alone: it gets a CAST.
	show(dialect.Postgres, label.As("label"))
	// Output:
	// CASE WHEN "app"."people"."http_code" < ? THEN ? ELSE ? END AS "label" [400 ok error]
	// CASE WHEN "app"."people"."http_code" < $1 THEN CAST($2 AS TEXT) ELSE CAST($3 AS TEXT) END AS "label" [400 ok error]
}

func ExampleExpr() {
	show(dialect.Postgres, expr.Count(People.ID).Gt(3))
	show(dialect.Postgres, expr.Add(People.UserID, expr.Val[int64](1)).Lt(10))
	show(dialect.MySQL, expr.Add(People.UserID, expr.Val[int64](1)).Lt(10))
	// Output:
	// COUNT("app"."people"."id") > $1 [3]
	// ("app"."people"."user_id" + CAST($1 AS BIGINT)) < $2 [1 10]
	// (`app`.`people`.`user_id` + ?) < ? [1 10]
}

func ExampleExpr_Over() {
	rank := expr.RowNumber().Over(expr.PartitionBy(People.HTTPCode).OrderBy(People.CreatedAt.Desc()))
	show(dialect.Postgres, rank)
	// Output:
	// ROW_NUMBER() OVER (PARTITION BY "app"."people"."http_code" ORDER BY "app"."people"."created_at" DESC) []
}

func ExampleRaw() {
	year := expr.Raw[int64]("EXTRACT(YEAR FROM ?)", People.CreatedAt)
	show(dialect.Postgres, year.Eq(2024))
	// Output:
	// EXTRACT(YEAR FROM "app"."people"."created_at") = $1 [2024]
}

// jsonField is an expression of the application's own: PostgreSQL's ->> operator.
type jsonField struct {
	doc expr.Expression
	key string
}

func (j jsonField) WriteSQL(w *expr.Writer) {
	j.doc.WriteSQL(w)
	w.Text(" ->> ")
	w.Arg(j.key)
}

func ExampleWriter() {
	show(dialect.Postgres, jsonField{expr.Raw[string]("payload"), "name"})
	// Output: payload ->> $1 [name]
}

func ExampleTable_AllColumns() {
	// The descriptor's columns in declaration order, as a select list: a row struct with the
	// same db tags scans the result (builder.Select(People.AllColumns()...).From(People)).
	p := expr.As(People, "p")
	for _, c := range p.AllColumns() {
		show(dialect.Postgres, c)
	}
	// Output:
	// "p"."id" []
	// "p"."full_name" []
	// "p"."user_id" []
	// "p"."http_code" []
	// "p"."nick_name" []
	// "p"."created_at" []
}

func ExampleEscapeLike() {
	search := "50%_off" // user input: its % and _ must not be wildcards
	pattern := "%" + expr.EscapeLike(search) + "%"
	show(dialect.Postgres, expr.Like(People.FullName, pattern))
	show(dialect.SQLite, expr.Like(People.FullName, pattern)) // SQLite has no default escape
	// Output:
	// "app"."people"."full_name" LIKE $1 [%50\%\_off%]
	// "app"."people"."full_name" LIKE ? ESCAPE '\' [%50\%\_off%]
}

func ExamplePrefixed() {
	type TeamsTable struct {
		expr.Table
		ID   expr.Column[int64]  `db:"id"`
		Name expr.Column[string] `db:"name"`
	}
	team := expr.As(expr.NewTable[TeamsTable]("teams"), "team")
	show(dialect.Postgres, expr.Prefixed(team))
	show(dialect.MySQL, expr.Prefixed(expr.NewTable[TeamsTable]("teams")))
	// Output:
	// "team"."id" AS "team.id", "team"."name" AS "team.name" []
	// `teams`.`id` AS `teams.id`, `teams`.`name` AS `teams.name` []
}

func ExampleJSON_Text() {
	type Attrs struct {
		Color string `json:"color"`
	}
	type ProductsTable struct {
		expr.Table
		Attrs expr.JSON[Attrs] `db:"attrs"`
	}
	p := expr.NewTable[ProductsTable]("products")
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite} {
		show(d, p.Attrs.Text("color").Eq("red"))
	}
	show(dialect.Postgres, p.Attrs.Int("size").Gt(3))
	// Output:
	// ("products"."attrs" #>> CAST(ARRAY[$1] AS TEXT[])) = $2 [color red]
	// JSON_UNQUOTE(JSON_EXTRACT(`products`.`attrs`, ?)) = ? [$."color" red]
	// JSON_VALUE(`products`.`attrs`, ?) = ? [$."color" red]
	// CAST(json_extract("products"."attrs", ?) AS TEXT) = ? [$."color" red]
	// CAST(("products"."attrs" #>> CAST(ARRAY[$1] AS TEXT[])) AS BIGINT) > $2 [size 3]
}
