package expr_test

import (
	"testing"

	"github.com/typedsql/typedsql/expr"
)

type exprsTable struct {
	expr.Table
	ID   expr.Column[int64]  `db:"id"`
	Name expr.Column[string] `db:"name"`
}

var exprsT = expr.NewTable[exprsTable]("exprs_t")

var exprSink expr.Expression

// TestExprBecomesExpressionWithoutAllocating: an Expr is one pointer, so passing it where an
// Expression is taken (builder.Select's items) does not box it; an aggregate of a column, NULL
// and NOW() point at nodes made once; any other expression allocates its node with what it
// holds, once. Each count here was one more while Expr held its node by value.
func TestExprBecomesExpressionWithoutAllocating(t *testing.T) {
	c := exprsT
	for _, tc := range []struct {
		name string
		f    func()
		want float64
	}{
		{"Count", func() { exprSink = expr.Count(c.ID) }, 0},
		{"CountAll", func() { exprSink = expr.CountAll() }, 0},
		{"Max", func() { exprSink = expr.Max(c.Name) }, 0},
		{"Null", func() { exprSink = expr.Null[int64]() }, 0},
		{"Now", func() { exprSink = expr.Now() }, 0},
		{"Excluded", func() { exprSink = expr.Excluded(c.Name) }, 0},
		{"Add", func() { exprSink = expr.Add(c.ID, c.ID) }, 1},
		{"Sum of Add", func() { exprSink = expr.Sum(expr.Add(c.ID, c.ID)) }, 3},
	} {
		if got := testing.AllocsPerRun(100, tc.f); got != tc.want {
			t.Errorf("%s: %v allocations, want %v", tc.name, got, tc.want)
		}
	}
}
