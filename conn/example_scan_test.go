package conn_test

import (
	"context"
	"fmt"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

type ExampleOrdersTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id"`
	UserID expr.Column[int64]  `db:"user_id"`
	Total  expr.Column[string] `db:"total"`
}

var ExampleOrders = expr.NewTable[ExampleOrdersTable]("orders")

type Order struct {
	ID    int64  `db:"id"`
	Total string `db:"total"`
}

// A join scans into nested structs: expr.Prefixed names each column "alias.column", and a
// field tagged db:"alias" takes those columns. Both tables' id columns land in their own
// struct; the LEFT JOIN's side is a pointer, nil where no order matched.
func ExampleAll_nestedStructs() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	db.Exec(ctx, conn.SQL("CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL, total text NOT NULL)"))
	db.Exec(ctx, conn.SQL("INSERT INTO orders VALUES (10, 1, '9.50')"))

	type UserOrder struct {
		User  User   `db:"user"`
		Order *Order `db:"order"`
	}
	u, o := expr.As(ExampleUsers, "user"), expr.As(ExampleOrders, "order")
	q := builder.Select(expr.Prefixed(u), o.ID.As("order.id"), o.Total.As("order.total")).
		From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).OrderBy(u.ID.Asc())
	rows, err := conn.All[UserOrder](ctx, db, q)
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Println(r.User.ID, r.User.Name, r.Order)
	}
	// Output:
	// 1 ann &{10 9.50}
	// 2 bob <nil>
}

type Attrs struct {
	Color string   `json:"color"`
	Tags  []string `json:"tags,omitempty"`
}

type ExampleCatalogTable struct {
	expr.Table
	ID    expr.Column[int64] `db:"id"`
	Attrs expr.JSON[Attrs]   `db:"attrs"`
}

var ExampleCatalog = expr.NewTable[ExampleCatalogTable]("products")

// An expr.JSON column marshals what Set is given and scans back into its Go type, the same on
// PostgreSQL, MySQL/MariaDB and SQLite; Text, Int and Float take a value out by path in the
// engine's own way.
func ExampleAll_json() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	db.Exec(ctx, conn.SQL("CREATE TABLE products (id integer PRIMARY KEY, attrs text)"))
	p := ExampleCatalog
	_, err := db.Exec(ctx, builder.InsertInto(p).
		Values(p.ID.Set(1), p.Attrs.Set(Attrs{Color: "red", Tags: []string{"sale"}})).
		Values(p.ID.Set(2), p.Attrs.Set(Attrs{Color: "blue"})).
		Values(p.ID.Set(3), p.Attrs.SetNull()))
	if err != nil {
		panic(err)
	}
	type Product struct {
		ID    int64  `db:"id"`
		Attrs *Attrs `db:"attrs"` // NULL is nil
	}
	all, _ := conn.All[Product](ctx, db, builder.Select(p.ID, p.Attrs).From(p).OrderBy(p.ID.Asc()))
	for _, x := range all {
		fmt.Printf("%d %+v\n", x.ID, x.Attrs)
	}
	red, _ := conn.All[int64](ctx, db, builder.Select(p.ID).From(p).Where(p.Attrs.Text("color").Eq("red")))
	fmt.Println(red)
	// Output:
	// 1 &{Color:red Tags:[sale]}
	// 2 &{Color:blue Tags:[]}
	// 3 <nil>
	// [1]
}

// Portable SQL text takes ? on every engine: it is rebound to $1, $2, ... on PostgreSQL. A ? in
// a string, a quoted name or a comment is not a placeholder.
func ExamplePortable() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	names, err := conn.All[string](ctx, db, conn.Portable("SELECT name FROM users WHERE id >= ? AND name <> 'who?' -- or ?\nORDER BY id"), 1)
	fmt.Println(names, err)
	text, _, _ := conn.Portable("SELECT name FROM users WHERE id = ? AND name <> 'who?'").Build(dialect.Postgres)
	fmt.Println(text)
	// Output:
	// [ann bob] <nil>
	// SELECT name FROM users WHERE id = $1 AND name <> 'who?'
}
