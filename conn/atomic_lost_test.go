package conn_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// endUnderBlock makes the engine end the transaction of the block whose context is ctx, the
// way it happens in production, and returns the error of the statement that ended it.
var endUnderBlock = map[testcontainers.Engine]func(t *testing.T, e *atomicEnv, ctx context.Context) error{
	// SQLite rolls back the whole transaction when a write is interrupted (here by the
	// statement's deadline). The deadline must fall while the statement runs, not before it
	// starts (which leaves the transaction alone): 2 s, on a loaded machine, for a statement
	// that would insert 100 million rows.
	testcontainers.EngineSQLite: func(t *testing.T, e *atomicEnv, ctx context.Context) error {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err := e.db.Exec(sctx, conn.SQL("INSERT INTO items (id) WITH RECURSIVE c(x) AS (SELECT 1000 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT x FROM c"))
		return err
	},
	// MySQL rolls back the whole transaction of a deadlock's victim. The other transaction
	// has changed more rows, so InnoDB picks the block as the victim.
	testcontainers.EngineMySQL: func(t *testing.T, e *atomicEnv, ctx context.Context) error {
		if _, err := e.db.Exec(ctx, conn.SQL("UPDATE items SET note = 'block' WHERE id = 1")); err != nil {
			return err
		}
		holding := make(chan struct{})
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Go(func() {
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				for i := range 20 {
					if err := e.ins(ctx, int64(100+i)); err != nil {
						return err
					}
				}
				if _, err := e.db.Exec(ctx, conn.SQL("UPDATE items SET note = 'other' WHERE id = 2")); err != nil {
					return err
				}
				close(holding)
				_, err := e.db.Exec(ctx, conn.SQL("UPDATE items SET note = 'other' WHERE id = 1"))
				return err
			})
			if err != nil {
				t.Errorf("the other transaction failed: %v", err)
			}
		})
		<-holding
		time.Sleep(50 * time.Millisecond) // let the other transaction wait for row 1
		_, err := e.db.Exec(ctx, conn.SQL("UPDATE items SET note = 'block' WHERE id = 2"))
		if !errors.Is(err, conn.ErrSerialization) {
			t.Errorf("the block's update: %v; want a deadlock", err)
		}
		return err
	},
	// PostgreSQL: the server ends the block's session.
	testcontainers.EnginePostgres: func(t *testing.T, e *atomicEnv, ctx context.Context) error {
		var pid int
		if err := e.db.QueryRow(ctx, conn.SQL("SELECT pg_backend_pid()")).Scan(&pid); err != nil {
			return err
		}
		mustExec(t, e.db, fmt.Sprintf("SELECT pg_terminate_backend(%d)", pid))
		_, err := e.db.Exec(ctx, conn.SQL("SELECT 1"))
		return err
	},
}

// TestAtomicEngineEndsTransaction: when the engine ends a block's transaction on its own and fn
// swallows the error and goes on, the block's later statements must not run in autocommit
// mode: they fail, the block returns an error, and nothing of it is committed.
func TestAtomicEngineEndsTransaction(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=4")
		mustExec(t, e.db, "INSERT INTO items (id, note) VALUES (1, 'initial'), (2, 'initial')")
		var stmtErr, afterErr error
		err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
			e.must(ctx, 3)
			stmtErr = endUnderBlock[tdb.Engine](t, e, ctx)
			afterErr = e.ins(ctx, 4) // must not commit on its own
			return nil               // the mistake: carrying on as if all went well
		})
		if stmtErr == nil {
			t.Fatal("the statement that should have ended the transaction succeeded")
		}
		t.Logf("%s: %v", tdb.Engine, stmtErr)
		if afterErr == nil {
			t.Error("a statement after the transaction ended ran")
		}
		if err == nil {
			t.Error("the block returned nil; its transaction was gone")
		}
		t.Logf("block: %v", err)
		for _, e := range []error{afterErr, err} {
			if e != nil && strings.Count(e.Error(), "conn: ") != 1 {
				t.Errorf("%q says conn: more than once", e)
			}
		}
		if tdb.Engine != testcontainers.EnginePostgres && !errors.Is(err, conn.ErrTxRolledBack) {
			t.Errorf("block error %v; want ErrTxRolledBack", err)
		}
		for _, id := range e.ids() {
			if id == 3 || id == 4 {
				t.Errorf("row %d of the failed block is in the table", id)
			}
		}
		e.checkPool(t)
	})
}

// TestAtomicRefusesTransactionControl: hand-written COMMIT or ROLLBACK in a block would end its
// transaction behind its back; they are refused, while the user's own savepoints work.
func TestAtomicRefusesTransactionControl(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
			e.must(ctx, 1)
			for _, q := range []string{"COMMIT", " /* x */ commit work", "ROLLBACK", "rollback transaction", "END", "BEGIN", "START TRANSACTION"} {
				if _, err := e.db.Exec(ctx, conn.SQL(q)); err == nil || !strings.Contains(err.Error(), "behind its back") {
					t.Errorf("%q in a block: %v; want it refused", q, err)
				}
			}
			for _, q := range []string{"SAVEPOINT mine", "ROLLBACK TO SAVEPOINT mine", "RELEASE SAVEPOINT mine"} {
				if _, err := e.db.Exec(ctx, conn.SQL(q)); err != nil {
					t.Errorf("%q in a block: %v", q, err)
				}
			}
			e.must(ctx, 2)
			return errOuter
		})
		if err != errOuter {
			t.Fatalf("block: %v", err)
		}
		if ids := e.ids(); len(ids) != 0 {
			t.Errorf("rows %v after the block rolled back; a refused COMMIT must not have run", ids)
		}
		e.checkPool(t)
	})
}
