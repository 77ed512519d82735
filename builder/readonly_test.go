package builder_test

import (
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

func TestReadOnly(t *testing.T) {
	sel := func() *builder.SelectStmt { return builder.Select(Users.ID).From(Users) }
	sums := builder.CTE(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).GroupBy(Orders.UserID))
	moved := builder.CTE(Totals, builder.DeleteFrom(Orders).AllRows().Returning(Orders.UserID, Orders.Total))
	tests := []struct {
		name string
		stmt interface{ ReadOnly() bool }
		want bool
	}{
		{"select", sel(), true},
		{"for update", sel().ForUpdate(), false},
		{"for share skip locked", sel().ForShare().SkipLocked(), false},
		{"reading cte", builder.Select(Totals.Sum).From(Totals).With(sums), true},
		{"writing cte", builder.Select(Totals.Sum).From(Totals).With(moved), false},
		{"union", builder.Union(sel(), builder.Select(Archive.ID).From(Archive)), true},
		{"union with a locking part", builder.Union(sel(), sel().ForUpdate()), false},
		{"nil select", (*builder.SelectStmt)(nil), false},
	}
	for _, tt := range tests {
		if got := tt.stmt.ReadOnly(); got != tt.want {
			t.Errorf("%s: ReadOnly() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
