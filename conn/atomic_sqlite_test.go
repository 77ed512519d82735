package conn_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestAtomicSQLiteConcurrentWriters: eight goroutines, each with its own connection of a file
// database, run read-modify-write blocks at the same time. Blocks begin IMMEDIATE, so writers
// queue for the write lock at BEGIN (within busy_timeout) instead of failing at their first
// write: every block commits, no "database is locked", no lost update.
func TestAtomicSQLiteConcurrentWriters(t *testing.T) {
	const writers, blocks = 8, 200
	tdb := testcontainers.SQLite(t)
	e := newAtomicEnv(t, tdb, "pool_max_conns=8")
	mustExec(t, e.db, "INSERT INTO items (id, note) VALUES (0, '0')")
	start := time.Now()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range blocks {
				err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
					var n int64
					if err := e.db.QueryRow(ctx, conn.SQL("SELECT CAST(note AS INTEGER) FROM items WHERE id = 0")).Scan(&n); err != nil {
						return err
					}
					if _, err := e.db.Exec(ctx, conn.SQL("UPDATE items SET note = ? WHERE id = 0"), n+1); err != nil {
						return err
					}
					return e.ins(ctx, int64(w*blocks+i+1))
				})
				if err != nil {
					if strings.Contains(err.Error(), "locked") {
						t.Errorf("writer %d block %d: %v", w, i, err)
					} else {
						t.Errorf("writer %d block %d: unexpected error %v", w, i, err)
					}
					return
				}
			}
		})
	}
	wg.Wait()
	var counter string
	if err := e.db.QueryRow(t.Context(), conn.SQL("SELECT note FROM items WHERE id = 0")).Scan(&counter); err != nil {
		t.Fatal(err)
	}
	if want := strconv.Itoa(writers * blocks); counter != want {
		t.Errorf("counter %s after %d increments; want %s (an update was lost)", counter, writers*blocks, want)
	}
	if n := len(e.ids()); n != writers*blocks+1 {
		t.Errorf("%d rows; want %d", n, writers*blocks+1)
	}
	t.Logf("%d writers x %d blocks in %v", writers, blocks, time.Since(start).Round(time.Millisecond))
	e.checkPool(t)
}
