package schema_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// The descriptors the tests create, check and read back.

type usersTable struct {
	expr.Table `schema:"comment=People who order"`
	ID         expr.Column[int64]             `db:"id" schema:"identity"`
	Email      expr.Column[string]            `db:"email" schema:"unique;size=200"`
	Name       expr.Column[string]            `db:"name" schema:"comment=Shown on invoices"`
	Active     expr.Column[bool]              `db:"active" schema:"default=TRUE"`
	Visits     expr.Column[int32]             `db:"visits" schema:"default=0;check=visits >= 0"`
	CreatedAt  expr.Column[time.Time]         `db:"created_at"`
	Bio        expr.Nullable[string]          `db:"bio"`
	Avatar     expr.Nullable[[]byte]          `db:"avatar"`
	Prefs      expr.Nullable[json.RawMessage] `db:"prefs"`
	Score      expr.Column[float64]           `db:"score" schema:"default=0"`
}

type ordersTable struct {
	expr.Table `schema:"check=total >= 0"`
	ID         expr.Column[int64]    `db:"id" schema:"identity"`
	UserID     expr.Column[int64]    `db:"user_id" schema:"references=users(id);ondelete=cascade;index"`
	Status     expr.Column[string]   `db:"status" schema:"index=ix_orders_status_total;default='new'"`
	Total      expr.Column[float64]  `db:"total" schema:"index=ix_orders_status_total"`
	Note       expr.Nullable[string] `db:"note"`
}

// tagsTable has a composite primary key over two foreign keys.
type orderTagsTable struct {
	expr.Table
	OrderID expr.Column[int64]  `db:"order_id" schema:"pk;references=orders(id);ondelete=cascade"`
	Tag     expr.Column[string] `db:"tag" schema:"pk"`
}

// A cycle: a department has a head employee, an employee a department.
type departmentsTable struct {
	expr.Table
	ID     expr.Column[int64]   `db:"id" schema:"pk"`
	HeadID expr.Nullable[int64] `db:"head_id" schema:"references=employees(id);ondelete=set null"`
}

type employeesTable struct {
	expr.Table
	ID     expr.Column[int64]   `db:"id" schema:"pk"`
	DeptID expr.Nullable[int64] `db:"dept_id" schema:"references=departments(id)"`
}

var (
	users       = expr.NewTable[usersTable]("users")
	orders      = expr.NewTable[ordersTable]("orders")
	orderTags   = expr.NewTable[orderTagsTable]("order_tags")
	departments = expr.NewTable[departmentsTable]("departments")
	employees   = expr.NewTable[employeesTable]("employees")

	// allTables is given out of order on purpose: Create sorts by foreign keys.
	allTables = []any{orderTags, orders, users, departments, employees}
)

// open connects typedsql to a fresh test database.
func open(t *testing.T, tdb *testcontainers.Database) *conn.DB {
	t.Helper()
	db, err := conn.Open(context.Background(), tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
