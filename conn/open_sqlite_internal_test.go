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
			select {
			case tx2 = <-began:
				if mode == "" {
					t.Fatal("a second transaction began while the first held the write lock")
				}
			case <-time.After(200 * time.Millisecond):
				if mode == "deferred" {
					t.Fatal("a deferred BEGIN waited for a lock")
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
