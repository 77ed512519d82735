package conn_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// longStatement runs far longer than any nested block's deadline in these tests, and is
// cancelled by it.
var longStatement = map[testcontainers.Engine]string{
	testcontainers.EnginePostgres: "SELECT pg_sleep(10)",
	testcontainers.EngineMySQL:    "SELECT SLEEP(10)",
	// A read that counts to a billion: SQLite has no sleep; the interrupt stops it.
	testcontainers.EngineSQLite: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c",
}

// TestAtomicNestedDeadline: a nested block whose own context's deadline cancels its
// statement. pgx and go-sql-driver close the connection on a cancelled statement, so the
// transaction is lost: the nested block, the outer block's later statements and the outer
// block itself report an ErrOperational error that says the connection was lost in a nested
// block (not the outer context's "deadline exceeded": the outer context is live), and the
// outer COMMIT is never sent. SQLite interrupts the statement and keeps the connection and the
// transaction: the savepoint rolls back and the outer block goes on and commits.
func TestAtomicNestedDeadline(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		rec := &txRecorder{}
		e := &atomicEnv{t: t, db: openURL(t, withParams(tdb.URL, "pool_max_conns=4"), conn.WithTracer(rec)), engine: tdb.Engine}
		mustExec(t, e.db, "CREATE TABLE items (id BIGINT PRIMARY KEY, note VARCHAR(40))")
		lite := tdb.Engine == testcontainers.EngineSQLite
		// The outer block either hands the nested block's error on, or carries on after it.
		for i, handOn := range []bool{true, false} {
			// Rows of their own: the lost transaction's server session may still hold its
			// locks until its sleep ends.
			base := int64(10 * i)
			rec.mu.Lock()
			rec.ops = nil
			rec.mu.Unlock()
			var nestedErr, afterErr error
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				e.must(ctx, base+1)
				e.hooks(ctx, "outer")
				nctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
				defer cancel()
				nestedErr = e.db.Atomic(nctx, func(ctx context.Context) error {
					e.hooks(ctx, "nested")
					_, err := e.db.Exec(ctx, conn.SQL(longStatement[tdb.Engine]))
					return err
				})
				afterErr = e.ins(ctx, base+2)
				if handOn {
					return nestedErr
				}
				return nil
			})
			t.Logf("hand on %v: nested: %v; after: %v; outer: %v", handOn, nestedErr, afterErr, err)

			if !errors.Is(nestedErr, context.DeadlineExceeded) {
				t.Errorf("nested block returned %v; want its own deadline as the cause", nestedErr)
			}
			if lite {
				// The interrupted read left the transaction open and the savepoint rolled
				// back: the outer block goes on.
				if afterErr != nil {
					t.Errorf("outer statement after the nested block: %v; want it to run", afterErr)
				}
				wantIDs, wantLog := []int64{base + 1, base + 2}, []string{"rollback:nested", "commit:outer"}
				if handOn {
					wantIDs, wantLog = nil, []string{"rollback:nested", "rollback:outer"}
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("outer block: %v; want the nested block's error handed on", err)
					}
				} else if err != nil {
					t.Errorf("outer block: %v; want it committed", err)
				}
				if ids := e.ids(); !equalIDs(ids, wantIDs...) {
					t.Errorf("rows %v; want %v", ids, wantIDs)
				}
				if l := e.takeLog(); !slices.Equal(l, wantLog) {
					t.Errorf("hooks %v; want %v", l, wantLog)
				}
				e.checkPool(t)
				e.reset()
				continue
			}
			for what, got := range map[string]error{"nested block": nestedErr, "outer statement after it": afterErr, "outer block": err} {
				if !errors.Is(got, conn.ErrOperational) || !strings.Contains(got.Error(), "connection was lost in a nested block") {
					t.Errorf("%s returned %v; want ErrOperational saying the connection was lost in a nested block", what, got)
				}
			}
			rec.mu.Lock()
			for _, op := range rec.ops {
				if strings.HasPrefix(op, "COMMIT") {
					t.Errorf("COMMIT sent on the lost connection (traced %q)", rec.ops)
				}
			}
			rec.mu.Unlock()
			if ids := e.ids(); len(ids) != 0 {
				t.Errorf("rows %v after the transaction was lost; want none", ids)
			}
			// In the order they were registered: the nested block's rollback hooks wait for
			// the outer rollback when its own could not be done.
			if l := e.takeLog(); !slices.Equal(l, []string{"rollback:outer", "rollback:nested"}) {
				t.Errorf("hooks %v; want [rollback:outer rollback:nested]", l)
			}
			e.checkPool(t)
		}
	})
}
