package conn_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

// txRecorder is a Tracer that records transaction control operations.
type txRecorder struct {
	mu  sync.Mutex
	ops []string
}

func (r *txRecorder) TraceQueryStart(ctx context.Context, _ conn.TraceQueryStartData) context.Context {
	return ctx
}
func (r *txRecorder) TraceQueryEnd(context.Context, conn.TraceQueryEndData) {}
func (r *txRecorder) TraceTxStart(ctx context.Context, _ conn.TraceTxStartData) context.Context {
	return ctx
}

func (r *txRecorder) TraceTxEnd(_ context.Context, d conn.TraceTxEndData) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := fmt.Sprintf("%s %d %s", d.Op, d.Depth, d.Savepoint)
	if d.Err != nil {
		s += " failed"
	}
	r.ops = append(r.ops, s)
}

// TestAtomicTraced: a TxTracer sees each BEGIN, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT and
// ROLLBACK an atomic block runs, with its depth and savepoint name.
func TestAtomicTraced(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		rec := &txRecorder{}
		db := openURL(t, tdb.URL, conn.WithTracer(rec))
		err := db.Atomic(t.Context(), func(ctx context.Context) error {
			db.Atomic(ctx, func(ctx context.Context) error { return nil })
			db.Atomic(ctx, func(ctx context.Context) error {
				return db.Atomic(ctx, func(ctx context.Context) error { return errInner })
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		db.Atomic(t.Context(), func(ctx context.Context) error { return errOuter })
		// With options, one BEGIN still, though MySQL needs two statements for it (SET
		// TRANSACTION ISOLATION LEVEL, then START TRANSACTION): it used to trace two.
		var opt txn.Option = txn.ReadCommitted
		if tdb.Engine == testcontainers.EngineSQLite {
			opt = txn.Exclusive
		}
		if err := db.Atomic(t.Context(), func(ctx context.Context) error { return nil }, opt); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"BEGIN 1 ",
			"SAVEPOINT 2 sp1", "RELEASE SAVEPOINT 2 sp1",
			"SAVEPOINT 2 sp1", "SAVEPOINT 3 sp2", "ROLLBACK TO SAVEPOINT 3 sp2", "RELEASE SAVEPOINT 3 sp2",
			"ROLLBACK TO SAVEPOINT 2 sp1", "RELEASE SAVEPOINT 2 sp1",
			"COMMIT 1 ",
			"BEGIN 1 ", "ROLLBACK 1 ",
			"BEGIN 1 ", "COMMIT 1 ",
		}
		if !slices.Equal(rec.ops, want) {
			t.Errorf("traced\n%q\nwant\n%q", rec.ops, want)
		}
	})
}
