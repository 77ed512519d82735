package conn_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

type lostItemsTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

var lostItems = expr.NewTable[lostItemsTable]("items")

// TestAtomicCommitReplyLost: a proxy in front of the server breaks the connection at COMMIT,
// either after the server committed (the reply is lost) or before the COMMIT reached it. A
// lost reply proves nothing, so no hook may guess. PostgreSQL asks the server on a new
// connection and reports the real outcome; MariaDB cannot ask, and reports it unknown. The
// pool has one connection, so PostgreSQL must give up the dead one before it can ask.
func TestAtomicCommitReplyLost(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			t.Skip("SQLite runs in the process: there is no connection to lose a reply on")
		}
		pg := tdb.Engine == testcontainers.EnginePostgres
		direct := &atomicEnv{t: t, db: openURL(t, tdb.URL)}
		mustExec(t, direct.db, "CREATE TABLE items (id BIGINT PRIMARY KEY, note VARCHAR(40))")
		proxy, proxied := newFaultProxy(t, tdb.URL)
		e := &atomicEnv{t: t, db: openURL(t, withParams(proxied, "pool_max_conns=1")), engine: tdb.Engine}

		// has reports whether row id is committed, as the server says on its own connection.
		has := func(id int64) bool { return slices.Contains(direct.ids(), id) }
		isUnknown := func(err error) bool {
			return errors.Is(err, conn.ErrCommitUnknown) && errors.Is(err, txn.ErrCommitUnknown) && errors.Is(err, conn.ErrOperational)
		}
		// block inserts id with hooks named name, and arms the proxy just before COMMIT.
		block := func(id int64, name string, f commitFault) func(context.Context) error {
			return func(ctx context.Context) error {
				if err := e.ins(ctx, id); err != nil {
					return err
				}
				e.hooks(ctx, name)
				proxy.arm(f, false)
				return nil
			}
		}
		fired := func() {
			t.Helper()
			if !proxy.didFire() {
				t.Fatal("the proxy saw no COMMIT")
			}
		}

		t.Run("reply lost", func(t *testing.T) {
			err := e.db.Atomic(t.Context(), block(1, "a", loseReply))
			fired()
			t.Logf("Atomic: %v", err)
			if !has(1) {
				t.Fatal("the server did not commit the row: the proxy lost more than the reply")
			}
			log := e.takeLog()
			if pg {
				if err != nil {
					t.Errorf("Atomic: %v; want nil: the server reports the transaction committed", err)
				}
				if !slices.Equal(log, []string{"commit:a"}) {
					t.Errorf("hooks %v; want [commit:a]", log)
				}
			} else {
				if !isUnknown(err) {
					t.Errorf("Atomic: %v; want ErrCommitUnknown (and ErrOperational, txn.ErrCommitUnknown)", err)
				}
				if len(log) != 0 {
					t.Errorf("hooks %v; want none while the outcome is unknown", log)
				}
			}
			e.checkPool(t)
		})

		t.Run("COMMIT dropped", func(t *testing.T) {
			err := e.db.Atomic(t.Context(), block(2, "b", dropCommit))
			fired()
			t.Logf("Atomic: %v", err)
			if has(2) {
				t.Fatal("the row is committed: the proxy let the COMMIT through")
			}
			log := e.takeLog()
			if pg {
				if err == nil || isUnknown(err) || !errors.Is(err, conn.ErrOperational) || !strings.Contains(err.Error(), "aborted") {
					t.Errorf("Atomic: %v; want an operational error saying the server aborted the transaction", err)
				}
				if !slices.Equal(log, []string{"rollback:b"}) {
					t.Errorf("hooks %v; want [rollback:b]", log)
				}
			} else {
				if !isUnknown(err) {
					t.Errorf("Atomic: %v; want ErrCommitUnknown", err)
				}
				if len(log) != 0 {
					t.Errorf("hooks %v; want none while the outcome is unknown", log)
				}
			}
			e.checkPool(t)
		})

		t.Run("Block.Commit, reply lost", func(t *testing.T) {
			var commitErr, afterErr error
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				if err := block(3, "c", loseReply)(ctx); err != nil {
					return err
				}
				blk, err := e.db.Block(ctx)
				if err != nil {
					return err
				}
				commitErr = blk.Commit(ctx)
				afterErr = e.ins(ctx, 4)
				return nil
			})
			fired()
			t.Logf("Block.Commit: %v; after: %v; Atomic: %v", commitErr, afterErr, err)
			if !has(3) || has(4) {
				t.Errorf("rows %v; want 3 (committed by Block.Commit) and not 4", direct.ids())
			}
			if commitErr == nil || !strings.Contains(commitErr.Error(), "cannot go on") {
				t.Errorf("Block.Commit: %v; want an error saying the block cannot go on", commitErr)
			}
			if afterErr == nil || err == nil {
				t.Errorf("a statement after Block.Commit returned %v and the block %v; want both to fail", afterErr, err)
			}
			log := e.takeLog()
			if pg {
				if isUnknown(commitErr) || !strings.Contains(commitErr.Error(), "committed") {
					t.Errorf("Block.Commit: %v; want it to say the work committed", commitErr)
				}
				if !slices.Equal(log, []string{"commit:c"}) {
					t.Errorf("hooks %v; want [commit:c]", log)
				}
			} else {
				for what, got := range map[string]error{"Block.Commit": commitErr, "the statement after it": afterErr, "Atomic": err} {
					if !isUnknown(got) {
						t.Errorf("%s: %v; want ErrCommitUnknown", what, got)
					}
				}
				if len(log) != 0 {
					t.Errorf("hooks %v; want none while the outcome is unknown", log)
				}
			}
			e.checkPool(t)
		})

		t.Run("Retry does not run again", func(t *testing.T) {
			runs := 0
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				runs++
				return block(int64(4+runs), "d", loseReply)(ctx)
			}, txn.Retry(3))
			fired()
			if runs != 1 {
				t.Errorf("the block ran %d times; want once: its work may be committed", runs)
			}
			if pg != (err == nil) || !pg && !isUnknown(err) {
				t.Errorf("Atomic: %v", err)
			}
			e.takeLog()
			e.checkPool(t)
		})

		if !pg {
			return
		}
		t.Run("reads only", func(t *testing.T) {
			// Built SELECTs without a locking clause write nothing that conn knows of, so no
			// transaction id is taken before their COMMIT, and nothing can be asked after.
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				if _, err := conn.All[int64](ctx, e.db, builder.Select(lostItems.ID).From(lostItems)); err != nil {
					return err
				}
				proxy.arm(loseReply, false)
				return nil
			})
			fired()
			if !isUnknown(err) || !strings.Contains(err.Error(), "only SELECTs") {
				t.Errorf("Atomic: %v; want ErrCommitUnknown saying the block ran only SELECTs", err)
			}
			e.checkPool(t)
		})
		t.Run("SELECT FOR UPDATE", func(t *testing.T) {
			// A row lock gives the transaction an id, so its outcome can be asked for.
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				if _, err := conn.All[int64](ctx, e.db, builder.Select(lostItems.ID).From(lostItems).Where(lostItems.ID.Eq(1)).ForUpdate()); err != nil {
					return err
				}
				e.hooks(ctx, "f")
				proxy.arm(loseReply, false)
				return nil
			})
			fired()
			if err != nil {
				t.Errorf("Atomic: %v; want nil: the server reports the transaction committed", err)
			}
			if log := e.takeLog(); !slices.Equal(log, []string{"commit:f"}) {
				t.Errorf("hooks %v; want [commit:f]", log)
			}
			e.checkPool(t)
		})
		t.Run("COMMIT stalled", func(t *testing.T) {
			// The server still has the connection open and the transaction in progress: it
			// is ended by terminating its backend, and then known to be rolled back.
			err := e.db.Atomic(t.Context(), block(8, "s", stallCommit))
			fired()
			t.Logf("Atomic: %v", err)
			if err == nil || isUnknown(err) || !strings.Contains(err.Error(), "aborted") {
				t.Errorf("Atomic: %v; want an error saying the server aborted the transaction", err)
			}
			if log := e.takeLog(); !slices.Equal(log, []string{"rollback:s"}) {
				t.Errorf("hooks %v; want [rollback:s]", log)
			}
			if has(8) {
				t.Error("the row is committed: the proxy let the COMMIT through")
			}
			e.checkPool(t)
		})
		t.Run("server unreachable", func(t *testing.T) {
			// The proxy cuts every connection at the fault and accepts no new one, so the
			// server cannot be asked: the outcome stays unknown (it did commit).
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				if err := e.ins(ctx, 9); err != nil {
					return err
				}
				e.hooks(ctx, "e")
				proxy.arm(loseReply, true)
				return nil
			})
			fired()
			t.Logf("Atomic: %v", err)
			if !isUnknown(err) || !strings.Contains(err.Error(), "new connection") {
				t.Errorf("Atomic: %v; want ErrCommitUnknown saying the server could not be asked", err)
			}
			if log := e.takeLog(); len(log) != 0 {
				t.Errorf("hooks %v; want none while the outcome is unknown", log)
			}
			if !has(9) {
				t.Error("the row is not committed: the proxy lost more than the reply")
			}
			waitIdle(t, e.db)
		})
	})
}
