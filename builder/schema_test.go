package builder_test

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"time"

	"github.com/typedsql/typedsql/expr"
)

// The test schema: users and their orders, plus an archive for INSERT ... SELECT. The same
// descriptors serve the golden tests, the examples and the benchmarks.

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
	ID     expr.Column[int64]             `db:"id"`
	UserID expr.Column[int64]             `db:"user_id"`
	Total  expr.Column[float64]           `db:"total"`
	Note   expr.Nullable[string]          `db:"note"`
	Meta   expr.Nullable[json.RawMessage] `db:"meta"`
	Ref    expr.Column[UUID]              `db:"ref"`
	Blob   expr.Nullable[[]byte]          `db:"blob"`
}

type ArchiveTable struct {
	expr.Table
	ID   expr.Column[int64]  `db:"id"`
	Name expr.Column[string] `db:"name"`
}

// TotalsTable names a CTE or derived table: per-user order totals.
type TotalsTable struct {
	expr.Table
	UserID expr.Column[int64]   `db:"user_id"`
	Sum    expr.Column[float64] `db:"sum"`
}

var (
	Users   = expr.NewTable[UsersTable]("users")
	Orders  = expr.NewTable[OrdersTable]("orders")
	Archive = expr.NewTable[ArchiveTable]("archive", expr.InSchema("old"))
	Totals  = expr.NewTable[TotalsTable]("totals")
	u       = expr.As(Users, "u")
	o       = expr.As(Orders, "o")
)

// UUID is a driver.Valuer / sql.Scanner value type, as a UUID library's would be.
type UUID [16]byte

func (id UUID) Value() (driver.Value, error) { return id[:], nil }

func (id *UUID) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok || len(b) != 16 {
		return errors.New("UUID: want 16 bytes")
	}
	copy(id[:], b)
	return nil
}
