package conn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

// SeparateConn takes a second connection inside a block that pins one: the inner block runs on
// its own session (the outer one's temporary table is not there), both are in use at once,
// and the outer block's context runs on the outer connection again afterwards.
func TestWithConnSeparateConn(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 3}))
		err := db.WithConn(t.Context(), func(outer context.Context) error {
			mustExecCtx(t, outer, db, "CREATE TEMPORARY TABLE sep_outer (n int)")
			outerID := sessionID(t, outer, db, tdb.Engine)
			err := db.WithConn(outer, func(inner context.Context) error {
				if s := db.Stats(); s.InUse != 2 {
					t.Errorf("two nested blocks hold %d connections, want 2", s.InUse)
				}
				if id := sessionID(t, inner, db, tdb.Engine); id != 0 && id == outerID {
					t.Errorf("the separate block runs on the outer connection %d", id)
				}
				// A temporary table lives on its connection: not seeing it proves another one.
				if _, err := db.Exec(inner, conn.SQL("SELECT COUNT(*) FROM sep_outer")); !errors.Is(err, conn.ErrProgramming) {
					t.Errorf("the separate block sees the outer block's temporary table: %v", err)
				}
				// A nested block without the option reuses the separate block's connection.
				return db.WithConn(inner, func(ctx context.Context) error {
					if s := db.Stats(); s.InUse != 2 {
						t.Errorf("a plain block inside the separate one took a third connection: %+v", s)
					}
					return nil
				})
			}, conn.SeparateConn())
			if err != nil {
				return err
			}
			if n := count(t, outer, db, "sep_outer"); n != 0 {
				t.Errorf("sep_outer has %d rows", n)
			}
			if id := sessionID(t, outer, db, tdb.Engine); id != outerID {
				t.Errorf("after the separate block the outer context runs on %d, want %d", id, outerID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections still in use", s.InUse)
		}
	})
}

// With InTransaction, a separate block inside a transaction is a transaction of its own, not a
// savepoint: it commits although the outer one rolls back, and it does not see the outer
// one's uncommitted rows.
func TestWithConnSeparateTransaction(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mustExecHarness(t, tdb, "CREATE TABLE sep_orders (n int)")
		mustExecHarness(t, tdb, "CREATE TABLE sep_audit (n int)")
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 2}))
		// On SQLite the outer transaction holds the file's write lock, which BEGIN IMMEDIATE
		// would wait for until the busy timeout: the separate one begins DEFERRED and only
		// reads.
		var sepOpts []txn.Option
		if tdb.Engine == testcontainers.EngineSQLite {
			sepOpts = append(sepOpts, txn.Deferred)
		}
		insert := func(table string) string { return "INSERT INTO " + table + " VALUES (" + ph(tdb.Engine, 1) + ")" }
		err := db.Atomic(t.Context(), func(ctx context.Context) error {
			mustExecCtx(t, ctx, db, insert("sep_orders"), 1)
			return db.WithConn(ctx, func(ctx context.Context) error {
				if b, err := db.Block(ctx); err != nil || b.Depth() != 1 {
					t.Errorf("the separate transaction is not an outermost block: %v", err)
				}
				if n := count(t, ctx, db, "sep_orders"); n != 0 {
					t.Errorf("the separate transaction sees %d uncommitted rows of the outer one", n)
				}
				if tdb.Engine != testcontainers.EngineSQLite {
					mustExecCtx(t, ctx, db, insert("sep_audit"), 1)
				}
				return nil
			}, conn.SeparateConn(), conn.InTransaction(sepOpts...))
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := countIn(t, tdb, "sep_orders"); n != 1 {
			t.Errorf("sep_orders has %d rows after commit, want 1", n)
		}

		// The outer transaction fails: the separate one has committed already.
		failure := errors.New("order refused")
		err = db.Atomic(t.Context(), func(ctx context.Context) error {
			mustExecCtx(t, ctx, db, insert("sep_orders"), 2)
			err := db.WithConn(ctx, func(ctx context.Context) error {
				if tdb.Engine == testcontainers.EngineSQLite {
					return nil
				}
				_, err := db.Exec(ctx, conn.SQL(insert("sep_audit")), 2)
				return err
			}, conn.SeparateConn(), conn.InTransaction(sepOpts...))
			if err != nil {
				return err
			}
			return failure
		})
		if !errors.Is(err, failure) {
			t.Fatalf("Atomic returned %v, want the block's error", err)
		}
		if n := countIn(t, tdb, "sep_orders"); n != 1 {
			t.Errorf("sep_orders has %d rows after the rollback, want 1", n)
		}
		want := int64(2)
		if tdb.Engine == testcontainers.EngineSQLite {
			want = 0
		}
		if n := countIn(t, tdb, "sep_audit"); n != want {
			t.Errorf("sep_audit has %d rows, want %d: the separate transactions commit on their own", n, want)
		}
	})
}

// Two nested blocks need two connections: on a pool of one the inner block waits for a
// connection (here until its context's deadline) and fails, and the outer block goes on.
func TestWithConnSeparateConnFullPool(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 1}))
		err := db.WithConn(t.Context(), func(outer context.Context) error {
			ctx, cancel := context.WithTimeout(outer, 300*time.Millisecond)
			defer cancel()
			err := db.WithConn(ctx, func(context.Context) error {
				t.Error("the separate block ran on a pool of one that the outer block holds")
				return nil
			}, conn.SeparateConn())
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("separate block on a full pool: %v, want its context's deadline", err)
			}
			_, err = db.Exec(outer, conn.SQL("SELECT 1"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
