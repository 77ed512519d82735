package builder_test

import (
	"reflect"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
)

// growRows adds rows [from, to) of two columns whose values box without allocating, so that
// what allocates is the rows' array alone.
func growRows(ins *builder.InsertStmt, from, to int) {
	for i := from; i < to; i++ {
		ins.Values(Users.Name.Set("n"), Users.Active.Set(i%2 == 0))
	}
}

// TestInsertGrow: after Grow(n), the next n rows allocate nothing, whether Grow came before
// the first row (the width not known yet), after rows still held inline, or after many; and
// the statement renders what one built without Grow renders.
func TestInsertGrow(t *testing.T) {
	const n = 1000
	for _, before := range []int{0, 1, 2, 3, 100} {
		// AllocsPerRun calls the function twice (a warm-up, then the run): each call fills a
		// statement of its own, prepared up to Grow.
		var stmts []*builder.InsertStmt
		for range 2 {
			ins := builder.InsertInto(Users)
			growRows(ins, 0, before)
			stmts = append(stmts, ins.Grow(n))
		}
		next := 0
		allocs := testing.AllocsPerRun(1, func() {
			growRows(stmts[next], before, before+n)
			next++
		})
		// Grow before the first row sizes the array when the rows leave the statement's inline
		// room: one allocation, then none.
		if want := 0.0; before == 0 && allocs > 1 || before > 0 && allocs > want {
			t.Errorf("%d rows, Grow(%d), %d rows: %v allocations", before, n, n, allocs)
		}
		want := builder.InsertInto(Users)
		growRows(want, 0, before+n)
		gotSQL, gotArgs, err1 := stmts[1].Build(dialect.Postgres)
		wantSQL, wantArgs, err2 := want.Build(dialect.Postgres)
		if err1 != nil || err2 != nil || gotSQL != wantSQL || !reflect.DeepEqual(gotArgs, wantArgs) {
			t.Errorf("%d rows first: the statement with Grow differs (%v, %v)", before, err1, err2)
		}
	}
	// Without Grow the same rows reallocate as they grow: the test above measures something.
	ins := builder.InsertInto(Users)
	if a := testing.AllocsPerRun(1, func() { growRows(ins, 0, n) }); a < 2 {
		t.Errorf("without Grow: %v allocations; the test cannot tell Grow works", a)
	}
	// A hint it cannot meet does nothing.
	huge := builder.InsertInto(Users)
	growRows(huge, 0, 10)
	huge.Grow(-1).Grow(1 << 62)
	if sql, _, err := huge.Build(dialect.Postgres); err != nil || sql == "" {
		t.Errorf("after impossible Grow: %q, %v", sql, err)
	}
	var nilStmt *builder.InsertStmt
	if nilStmt.Grow(5) != nil {
		t.Error("nil.Grow is not nil")
	}
}
