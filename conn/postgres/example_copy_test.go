package postgres_test

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/expr"
)

type ProductsTable struct {
	expr.Table
	SKU   expr.Column[string]  `db:"sku"`
	Price expr.Column[float64] `db:"price"`
}

var Products = expr.NewTable[ProductsTable]("products")

// CopyFrom loads typed rows with COPY: 100,000 rows are one COPY, with no argument limit.
// Inside an Atomic block it runs in the block's transaction.
func ExampleCopyFrom() {
	ctx := context.Background()
	db, err := conn.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	rows := builder.InsertInto(Products).Grow(100000)
	for i := range 100000 {
		rows.Values(Products.SKU.Set(fmt.Sprintf("sku-%06d", i)), Products.Price.Set(float64(i%100)))
	}
	err = db.Atomic(ctx, func(ctx context.Context) error {
		n, err := postgres.CopyFrom(ctx, db, rows) // COPY "products" ("sku", "price") FROM STDIN BINARY
		fmt.Println(n, err)
		return err
	})
	fmt.Println(err)
}

// Product is a row as the application holds it.
type Product struct {
	SKU   string
	Price float64
}

// CopyFromSeq streams rows from a slice (or any iter.Seq) into COPY, each turned into its
// typed assignments as pgx asks for it: no statement holds them all.
func ExampleCopyFromSeq() {
	ctx := context.Background()
	db, err := conn.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	products := make([]Product, 100000)
	for i := range products {
		products[i] = Product{SKU: fmt.Sprintf("sku-%06d", i), Price: float64(i % 100)}
	}
	n, err := postgres.CopyFromSeq(ctx, db, Products, slices.Values(products),
		func(row []expr.Assignment, p Product) []expr.Assignment {
			// A value of the wrong type for its column does not compile.
			return append(row, Products.SKU.Set(p.SKU), Products.Price.Set(p.Price))
		}) // COPY "products" ("sku", "price") FROM STDIN BINARY
	fmt.Println(n, err)
}
