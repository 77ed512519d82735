package conn

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestSQLiteBeginImmediate: by default a transaction takes the write lock at BEGIN, so a
// second writer waits at its own BEGIN (up to busy_timeout) instead of starting and failing
// with "database is locked" at its first write; "deferred" restores SQLite's own behaviour.
func TestSQLiteBeginImmediate(t *testing.T) {
	for _, mode := range []string{"", "deferred"} {
		t.Run("txlock="+mode, func(t *testing.T) {
			ctx := t.Context()
			db, err := Open(ctx, "sqlite:///"+filepath.Join(t.TempDir(), "tx.db")+"?_txlock="+mode)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			h, _ := db.handle()
			sdb := h.be.(*sqlBackend).db
			if _, err := sdb.ExecContext(ctx, "CREATE TABLE t (x int)"); err != nil {
				t.Fatal(err)
			}
			tx1, err := sdb.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			began := make(chan *sql.Tx, 1)
			go func() {
				tx2, err := sdb.BeginTx(ctx, nil)
				if err != nil {
					t.Error(err)
				}
				began <- tx2
			}()
			var tx2 *sql.Tx
			if mode == "deferred" {
				// A deferred BEGIN takes no lock: it returns while tx1 holds the write lock
				// (had it waited, it would fail after busy_timeout). No deadline here: on a
				// loaded machine the goroutine may take its time to run at all.
				tx2 = <-began
			} else {
				// An IMMEDIATE BEGIN waits. 200ms without it returning cannot prove that it
				// waited rather than had not run yet, but a BEGIN that returns in that time
				// proves that it did not.
				select {
				case tx2 = <-began:
					t.Fatal("a second transaction began while the first held the write lock")
				case <-time.After(200 * time.Millisecond):
				}
				if err := tx1.Commit(); err != nil {
					t.Fatal(err)
				}
				tx2 = <-began
				tx1 = nil
			}
			if tx1 != nil {
				tx1.Rollback()
			}
			if tx2 != nil {
				tx2.Rollback()
			}
			if got := h.cfg.SQLite.TxLock; got != map[string]string{"": "immediate", "deferred": "deferred"}[mode] {
				t.Errorf("resolved TxLock = %q", got)
			}
		})
	}
}
