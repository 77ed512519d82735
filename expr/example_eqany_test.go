package expr_test

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

type eqAnyOrdersTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

// EqAny binds the whole list as one array argument on PostgreSQL, so that a list of any
// length is one parameter; elsewhere it is an IN list, one argument per value.
func ExampleColumn_EqAny() {
	orders := expr.NewTable[eqAnyOrdersTable]("orders")
	ids := []int64{3, 5, 8}
	show(dialect.Postgres, orders.ID.EqAny(ids))
	show(dialect.SQLite, orders.ID.EqAny(ids))
	show(dialect.MySQL, orders.ID.EqAny(nil))
	// Output:
	// "orders"."id" = ANY($1) [[3 5 8]]
	// "orders"."id" IN (?, ?, ?) [3 5 8]
	// FALSE []
}
