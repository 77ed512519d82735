package conn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// Close waits for connections in use, but not for ever: past the pool's close timeout it
// closes the pool anyway and says how many were still out. Called from inside a block, Close
// used to wait for the block's own connection: a deadlock.
func TestCloseIsBounded(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openURL(t, withParams(tdb.URL, "pool_close_timeout=200ms"))
		mustExec(t, db, "CREATE TABLE closing (n int)")

		// A block that calls Close: the wait ends at the timeout instead of never.
		err := db.Atomic(ctx, func(ctx context.Context) error {
			if _, err := db.Exec(ctx, conn.SQL("INSERT INTO closing VALUES (1)")); err != nil {
				return err
			}
			err := db.Close()
			var inUse *conn.ConnsInUseError
			if !errors.As(err, &inUse) || inUse.InUse != 1 || !errors.Is(err, conn.ErrConnsInUse) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Close inside a block: %v; want one connection in use past the deadline", err)
			}
			// The block's own connection stays usable until the block ends.
			_, err = db.Exec(ctx, conn.SQL("INSERT INTO closing VALUES (2)"))
			return err
		})
		if err != nil {
			t.Fatalf("the block after Close: %v", err)
		}
		if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrClosed) {
			t.Errorf("a statement after Close: %v, want ErrClosed", err)
		}
		if n := countRows(t, tdb, "closing"); n != 2 {
			t.Errorf("%d rows committed, want 2: the block's work is kept", n)
		}
	})
}

// CloseContext with a block's context waits for the other connections in use, not for the
// block's own, which closes when the block ends.
func TestCloseContextFromBlock(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openT(t, tdb)
		mustExec(t, db, "CREATE TABLE closing (n int)")
		pinned, unpin, unpinned := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			unpinned <- db.WithConn(ctx, func(ctx context.Context) error {
				close(pinned)
				<-unpin
				// A read: a write would wait for the block's write lock on SQLite.
				_, err := db.Exec(ctx, conn.SQL("SELECT COUNT(*) FROM closing"))
				return err
			})
		}()
		<-pinned
		err := db.Atomic(ctx, func(ctx context.Context) error {
			if _, err := db.Exec(ctx, conn.SQL("INSERT INTO closing VALUES (1)")); err != nil {
				return err
			}
			closed := make(chan error, 1)
			go func() { closed <- db.CloseContext(ctx) }()
			// CloseContext waits for the other block: let it go once new work is refused.
			waitFor(t, 10*time.Second, "CloseContext to refuse new statements", func() bool {
				_, err := db.Exec(context.Background(), conn.SQL("SELECT 1"))
				return errors.Is(err, conn.ErrClosed)
			})
			select {
			case err := <-closed:
				t.Fatalf("CloseContext returned (%v) while another block held a connection", err)
			default:
			}
			close(unpin)
			if err := <-closed; err != nil {
				t.Errorf("CloseContext: %v", err)
			}
			_, err := db.Exec(ctx, conn.SQL("INSERT INTO closing VALUES (2)"))
			return err
		})
		if err != nil {
			t.Fatalf("the block: %v", err)
		}
		if err := <-unpinned; err != nil {
			t.Errorf("the other block: %v", err)
		}
		if n := countRows(t, tdb, "closing"); n != 2 {
			t.Errorf("%d rows committed, want 2", n)
		}
		// A shutdown deadline bounds CloseContext as the close timeout bounds Close.
		db2 := openT(t, tdb)
		hold, release := make(chan struct{}), make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			db2.WithConn(ctx, func(ctx context.Context) error { close(hold); <-release; return nil })
		}()
		<-hold
		dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if err := db2.CloseContext(dctx); !errors.Is(err, conn.ErrConnsInUse) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("CloseContext past its deadline: %v, want ErrConnsInUse", err)
		}
		close(release)
		<-done
	})
}

// countRows counts the committed rows of table through the harness's own connection.
func countRows(t *testing.T, tdb *testcontainers.Database, table string) int {
	t.Helper()
	var n int
	if err := tdb.SQL.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
