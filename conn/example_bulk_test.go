package conn_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
)

type ExampleProductsTable struct {
	expr.Table
	ID    expr.Column[int64]   `db:"id"`
	SKU   expr.Column[string]  `db:"sku"`
	Price expr.Column[float64] `db:"price"`
}

var ExampleProducts = expr.NewTable[ExampleProductsTable]("products")

// productsExampleDB is an in-memory SQLite database with an empty products table.
func productsExampleDB(ctx context.Context) *conn.DB {
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	if _, err := db.Exec(ctx, conn.SQL("CREATE TABLE products (id integer PRIMARY KEY, sku text NOT NULL UNIQUE, price real NOT NULL)")); err != nil {
		panic(err)
	}
	return db
}

// 20,000 rows of two values are 40,000 arguments, more than SQLite takes in one statement
// (32,766): InsertBatched inserts them in two statements, in one transaction.
func ExampleDB_InsertBatched() {
	ctx := context.Background()
	db := productsExampleDB(ctx)
	defer db.Close()
	P := ExampleProducts
	ins := builder.InsertInto(P)
	for i := range 20000 {
		ins.Values(P.SKU.Set(fmt.Sprintf("sku-%05d", i)), P.Price.Set(float64(i%100)))
	}
	_, err := db.Exec(ctx, ins)
	fmt.Println("one statement:", err)

	res, err := db.InsertBatched(ctx, ins)
	fmt.Println(res.RowsAffected, err, len(ins.Batches(db.Dialect())), "statements")
	// Output:
	// one statement: conn: programming error: typedsql: 40000 bound arguments, more than the 32766 one statement can carry: split it (insert in batches, shorten IN lists) (dialect sqlite)
	// 20000 <nil> 2 statements
}

// InsertID returns the new row's id, the same call on every engine: RETURNING on
// PostgreSQL, SQLite and MariaDB, the driver's last insert id on MySQL.
func ExampleInsertID() {
	ctx := context.Background()
	db := productsExampleDB(ctx)
	defer db.Close()
	P := ExampleProducts
	for _, sku := range []string{"pen", "ink"} {
		id, err := conn.InsertID(ctx, db, builder.InsertInto(P).Values(P.SKU.Set(sku), P.Price.Set(2.5)), P.ID)
		fmt.Println(sku, id, err)
	}
	// Output:
	// pen 1 <nil>
	// ink 2 <nil>
}

// Explain shows the plan the engine chose; on SQLite, as its shell draws it.
func ExampleDB_Explain() {
	ctx := context.Background()
	db := productsExampleDB(ctx)
	defer db.Close()
	P := ExampleProducts
	q := builder.Select(P.ID).From(P).Where(P.SKU.Eq("pen")).OrderBy(P.Price.Desc())
	plan, err := db.Explain(ctx, q, conn.ExplainOptions{})
	fmt.Println(plan, err)

	q = builder.Select(P.ID).From(P).Where(P.Price.Gt(2)).OrderBy(P.Price.Desc())
	plan, _ = db.Explain(ctx, q, conn.ExplainOptions{})
	fmt.Println(plan)

	_, err = db.Explain(ctx, q, conn.ExplainOptions{Analyze: true})
	fmt.Println(strings.SplitN(err.Error(), ";", 2)[0])
	// Output:
	// QUERY PLAN
	// `--SEARCH products USING INDEX sqlite_autoindex_products_1 (sku=?) <nil>
	// QUERY PLAN
	// |--SCAN products
	// `--USE TEMP B-TREE FOR ORDER BY
	// conn: not supported error: EXPLAIN ANALYZE: sqlite cannot run a statement to show its plan
}
