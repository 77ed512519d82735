package conformance

import (
	"time"

	"github.com/typedsql/typedsql/expr"
)

// Descriptors of the schema createSchema makes (see there for the rows).

type usersTable struct {
	expr.Table
	ID        expr.Column[int64]     `db:"id"`
	Name      expr.Column[string]    `db:"name"`
	Email     expr.Nullable[string]  `db:"email"`
	Active    expr.Column[bool]      `db:"active"`
	Age       expr.Nullable[int64]   `db:"age"`
	CreatedAt expr.Column[time.Time] `db:"created_at"`
}

type ordersTable struct {
	expr.Table
	ID     expr.Column[int64]    `db:"id"`
	UserID expr.Column[int64]    `db:"user_id"`
	Amount expr.Column[int64]    `db:"amount"`
	Status expr.Column[string]   `db:"status"`
	Note   expr.Nullable[string] `db:"note"`
}

type categoriesTable struct {
	expr.Table
	ID       expr.Column[int64]   `db:"id"`
	ParentID expr.Nullable[int64] `db:"parent_id"`
	Name     expr.Column[string]  `db:"name"`
}

type countersTable struct {
	expr.Table
	Name expr.Column[string] `db:"name"`
	Hits expr.Column[int64]  `db:"hits"`
}

type eventsTable struct {
	expr.Table
	ID   expr.Column[int64]  `db:"id"`
	Kind expr.Column[string] `db:"kind"`
}

// oddTable's names are a reserved word and the two quote characters.
type oddTable struct {
	expr.Table
	Select expr.Column[int64]  `db:"select"`
	DQuote expr.Column[string] `db:"we\"ird"`
	BQuote expr.Column[string] "db:\"we`ird\""
}

// totalsTable names a CTE and a derived table: amount per user.
type totalsTable struct {
	expr.Table
	UserID expr.Column[int64] `db:"user_id"`
	Total  expr.Column[int64] `db:"total"`
}

// treeTable names the recursive CTE over categories.
type treeTable struct {
	expr.Table
	ID    expr.Column[int64]  `db:"id"`
	Name  expr.Column[string] `db:"name"`
	Depth expr.Column[int64]  `db:"depth"`
}

var (
	users      = expr.NewTable[usersTable]("users")
	orders     = expr.NewTable[ordersTable]("orders")
	categories = expr.NewTable[categoriesTable]("categories")
	counters   = expr.NewTable[countersTable]("counters")
	events     = expr.NewTable[eventsTable]("events")
	odd        = expr.NewTable[oddTable]("odd")
	totals     = expr.NewTable[totalsTable]("totals")
	tree       = expr.NewTable[treeTable]("tree")
)
