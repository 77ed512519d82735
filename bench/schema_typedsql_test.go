package bench

import (
	"time"

	"github.com/typedsql/typedsql/expr"
)

// typedsql's descriptors of the benchmark's tables, as an application declares them (or
// cmd/typedsql-gen writes them).

type UsersTable struct {
	expr.Table
	ID        expr.Column[int64]     `db:"id"`
	Name      expr.Column[string]    `db:"name"`
	Email     expr.Nullable[string]  `db:"email"`
	Active    expr.Column[bool]      `db:"active"`
	CreatedAt expr.Column[time.Time] `db:"created_at"`
	Visits    expr.Column[int32]     `db:"visits"`
}

type OrdersTable struct {
	expr.Table
	ID     expr.Column[int64]   `db:"id"`
	UserID expr.Column[int64]   `db:"user_id"`
	Total  expr.Column[float64] `db:"total"`
}

var (
	Users  = expr.NewTable[UsersTable]("users")
	Orders = expr.NewTable[OrdersTable]("orders")
	tu     = expr.As(Users, "u")
	to     = expr.As(Orders, "o")
)
