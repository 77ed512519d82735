package replica

import (
	"context"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
)

type ordersTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

var orders = expr.NewTable[ordersTable]("orders")

// A write marked while a resolution holds the tracker (its round trip to the primary) does
// not wait for it, and is not cleared by it: the next read takes it and resolves again. A
// read's end marks nothing.
func TestTrackerMarkDuringResolution(t *testing.T) {
	for _, perTable := range []bool{false, true} {
		ctx := Track(context.Background())
		if perTable {
			ctx = TrackTables(context.Background())
		}
		tr := ctx.Value(trackerKey{}).(*tracker)
		insert := builder.InsertInto(orders).Values(orders.ID.Set(1))
		r := router{}
		r.Finished(ctx, nil, builder.Select(orders.ID).From(orders), nil)
		tr.mu.Lock()
		tr.take()
		if tr.dirty || len(tr.dirtyTables) != 0 {
			t.Fatalf("perTable %v: a read's end marked the session as written", perTable)
		}
		noteWrite(ctx, insert, false) // routed: the read below resolves while it runs
		tr.take()
		marked := make(chan struct{})
		go func() {
			r.Finished(ctx, nil, insert, nil) // the write ends during the round trip
			close(marked)
		}()
		<-marked // a deadlock here: Finished waited for the resolution
		// What resolve does once the position is read:
		tr.dirty, tr.dirtyTables = false, nil
		tr.mu.Unlock()

		tr.mu.Lock()
		tr.take()
		written := tr.dirty
		if perTable {
			_, written = tr.dirtyTables["orders"]
		}
		tr.mu.Unlock()
		if !written {
			t.Errorf("perTable %v: the write's end, during a resolution, was lost with it", perTable)
		}

		r.Settled(ctx, nil)
		tr.mu.Lock()
		tr.take()
		if !tr.dirty {
			t.Errorf("perTable %v: a settled block did not mark every table", perTable)
		}
		tr.mu.Unlock()
	}
}

var _ conn.Finisher = router{}
