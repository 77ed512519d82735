package conn_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

// batchEnv is a table of numbers and a function that inserts one, counting its calls.
func batchEnv(t *testing.T, tdb *testcontainers.Database) (*conn.DB, func(ctx context.Context, n int) error) {
	db := openT(t, tdb)
	mustExec(t, db, "CREATE TABLE batch_items (n INTEGER NOT NULL PRIMARY KEY)")
	insert := q(db, "INSERT INTO batch_items (n) VALUES (?)")
	return db, func(ctx context.Context, n int) error {
		_, err := db.Exec(ctx, insert, n)
		return err
	}
}

func batchRows(t *testing.T, db *conn.DB) []int {
	t.Helper()
	got, err := conn.All[int](t.Context(), db, conn.SQL("SELECT n FROM batch_items ORDER BY n"))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestBatchCommit(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db, insert := batchEnv(t, tdb)
		var inTx []bool
		err := conn.BatchCommit(ctx, db, slices.Values([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), 3,
			func(ctx context.Context, n int) error {
				_, err := db.Block(ctx)
				inTx = append(inTx, err == nil)
				return insert(ctx, n)
			})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := batchRows(t, db), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(got, want) {
			t.Errorf("rows %v; want %v", got, want)
		}
		if slices.Contains(inTx, false) {
			t.Errorf("fn ran outside a transaction: %v", inTx)
		}
	})
}

// TestBatchCommitFailure: the failed batch rolls back, the ones before it stay, the items
// after it are never read, and the error names the batch and the item.
func TestBatchCommitFailure(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db, insert := batchEnv(t, tdb)
		boom := errors.New("item 7 is bad")
		read := 0
		items := func(yield func(int) bool) {
			for i := range 10 {
				read++
				if !yield(i) {
					return
				}
			}
		}
		err := conn.BatchCommit(ctx, db, items, 3, func(ctx context.Context, n int) error {
			if n == 7 {
				return boom
			}
			return insert(ctx, n)
		})
		var be *conn.BatchError
		if !errors.As(err, &be) || !errors.Is(err, boom) {
			t.Fatalf("error %v; want a *BatchError wrapping the item's", err)
		}
		if be.Batch != 2 || be.First != 6 || be.Size != 3 || be.Item != 7 || be.Committed != 6 {
			t.Errorf("BatchError %+v; want batch 2, first 6, size 3, item 7, committed 6", *be)
		}
		for _, s := range []string{"batch 2", "items 6 to 8", "at item 7", "6 items before it are committed"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not say %q", err, s)
			}
		}
		if got, want := batchRows(t, db), []int{0, 1, 2, 3, 4, 5}; !slices.Equal(got, want) {
			t.Errorf("rows %v; want the first two batches %v", got, want)
		}
		if read != 9 {
			t.Errorf("read %d items; want 9 (none after the failed batch)", read)
		}
	})
}

// TestBatchCommitRetry: a batch failing with ErrSerialization runs again over the same items
// in a new transaction; the first attempt's rows are rolled back, so none is doubled.
func TestBatchCommitRetry(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db, insert := batchEnv(t, tdb)
		calls := map[int]int{}
		err := conn.BatchCommit(ctx, db, slices.Values([]int{0, 1, 2, 3, 4}), 2, func(ctx context.Context, n int) error {
			calls[n]++
			if err := insert(ctx, n); err != nil {
				return err
			}
			if n == 3 && calls[n] == 1 {
				return fmt.Errorf("conflict: %w", conn.ErrSerialization)
			}
			return nil
		}, txn.Retry(2))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := batchRows(t, db), []int{0, 1, 2, 3, 4}; !slices.Equal(got, want) {
			t.Errorf("rows %v; want %v", got, want)
		}
		if calls[2] != 2 || calls[3] != 2 || calls[0] != 1 || calls[4] != 1 {
			t.Errorf("calls %v; want the batch of 2 and 3 run twice, the others once", calls)
		}
	})
}

func TestBatchCommitMisuse(t *testing.T) {
	ctx := t.Context()
	db := openURL(t, "sqlite:///:memory:")
	nop := func(context.Context, int) error { return nil }
	if err := conn.BatchCommit(ctx, db, slices.Values([]int{1}), 0, nop); err == nil || !strings.Contains(err.Error(), "batch size 0") {
		t.Errorf("n=0: %v", err)
	}
	if err := conn.BatchCommit[int](ctx, db, nil, 1, nop); err == nil || !strings.Contains(err.Error(), "nil items") {
		t.Errorf("nil items: %v", err)
	}
	if err := conn.BatchCommit(ctx, db, slices.Values([]int{1}), 1, nil); err == nil {
		t.Error("nil fn: no error")
	}
	err := db.Atomic(ctx, func(ctx context.Context) error {
		return conn.BatchCommit(ctx, db, slices.Values([]int{1}), 1, nop)
	})
	if !errors.Is(err, conn.ErrInTransaction) {
		t.Errorf("inside a transaction: %v; want ErrInTransaction", err)
	}
	if err := conn.BatchCommit(ctx, db, slices.Values([]int(nil)), 5, nop); err != nil {
		t.Errorf("no items: %v", err)
	}
}
