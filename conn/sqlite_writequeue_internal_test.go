package conn

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/typedsql/typedsql/txn"
)

// openQueueTest opens a new SQLite file with params and returns the DB and its file's queue.
func openQueueTest(t *testing.T, params string) (*DB, *sqliteFile) {
	t.Helper()
	db, err := Open(t.Context(), "sqlite:///"+filepath.Join(t.TempDir(), "q.db")+"?"+params)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	if _, err := db.Exec(t.Context(), SQL("CREATE TABLE items (id integer PRIMARY KEY)")); err != nil {
		t.Fatal(err)
	}
	h, _ := db.handle()
	return db, h.be.(*sqlBackend).wq.f
}

// until yields until cond holds. The goroutine it waits for gets there however loaded the
// machine is; the minute is only there to report a bug as a failure rather than a hang.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: not %s", what)
		}
		runtime.Gosched()
	}
}

func (f *sqliteFile) isHeld() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.held
}

// holdLock runs a block that holds db's write lock until release is closed; the returned
// channel reports the block's error.
func holdLock(t *testing.T, db *DB, release <-chan struct{}) <-chan error {
	t.Helper()
	held := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Atomic(context.Background(), func(ctx context.Context) error {
			_, err := db.Exec(ctx, SQL("INSERT INTO items VALUES (1)"))
			close(held)
			<-release
			return err
		})
	}()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("the holding block: %v", err)
	}
	return done
}

// TestSQLiteQueueCancelWhileWaiting: a writer whose context is cancelled while it waits in
// the queue returns the context's error at once, not "database is locked" after busy_timeout,
// and leaves the line; the lock goes on to work as before.
func TestSQLiteQueueCancelWhileWaiting(t *testing.T) {
	db, f := openQueueTest(t, "busy_timeout=60000") // a minute: only the cancellation can end the wait
	release := make(chan struct{})
	holder := holdLock(t, db, release)

	ctx, cancel := context.WithCancel(t.Context())
	waited := make(chan error, 1)
	go func() {
		_, err := db.Exec(ctx, SQL("INSERT INTO items VALUES (2)"))
		waited <- err
	}()
	until(t, "one writer waiting", func() bool { return f.waiting() == 1 })
	cancel()
	err := <-waited
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrSerialization) {
		t.Errorf("cancelled wait: %v; want context.Canceled", err)
	}
	if n := f.waiting(); n != 0 {
		t.Errorf("%d writers still in line after the cancelled one left", n)
	}
	close(release)
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(t.Context(), SQL("INSERT INTO items VALUES (3)")); err != nil {
		t.Errorf("a write after the cancelled wait: %v", err)
	}
	if f.isHeld() {
		t.Error("the write lock is still held with nothing running")
	}
}

// TestSQLiteDeferredBlockPassesQueue: a txn.Deferred block takes no place in the queue, and
// its statements do not queue either. Once it has written it holds SQLite's own write lock;
// a writer queued meanwhile waits for that lock (in SQLite's busy handler) while holding the
// queue, so a statement of the block that queued behind it would wait for it in turn, and
// both would stall until busy_timeout. The block's second write goes through at once, and the
// queued writer lands when the block commits.
func TestSQLiteDeferredBlockPassesQueue(t *testing.T) {
	db, f := openQueueTest(t, "busy_timeout=60000")
	queued := make(chan error, 1)
	err := db.Atomic(t.Context(), func(ctx context.Context) error {
		if _, err := db.Exec(ctx, SQL("INSERT INTO items VALUES (1)")); err != nil {
			return err
		}
		go func() {
			_, err := db.Exec(context.Background(), SQL("INSERT INTO items VALUES (2)"))
			queued <- err
		}()
		until(t, "the queued writer holding the lock", f.isHeld)
		_, err := db.Exec(ctx, SQL("INSERT INTO items VALUES (3)"))
		return err
	}, txn.Deferred)
	if err != nil {
		t.Fatalf("deferred block: %v", err)
	}
	if err := <-queued; err != nil {
		t.Errorf("the writer queued during the block: %v", err)
	}
}

// TestSQLiteHandWrittenTransactionHoldsQueue: a transaction begun by raw BEGIN IMMEDIATE in
// WithConn holds the write lock from its BEGIN to its COMMIT, so that its own statements
// never queue behind a writer that waits for its lock; the lock is free again after the
// COMMIT, and after a WithConn block that left its transaction open. A deferred one takes no
// place in the queue.
func TestSQLiteHandWrittenTransactionHoldsQueue(t *testing.T) {
	db, f := openQueueTest(t, "busy_timeout=60000")
	ctx := t.Context()
	queued := make(chan error, 1)
	err := db.WithConn(ctx, func(ctx context.Context) error {
		if _, err := db.Exec(ctx, SQL("BEGIN IMMEDIATE")); err != nil {
			return err
		}
		go func() {
			_, err := db.Exec(context.Background(), SQL("INSERT INTO items VALUES (1)"))
			queued <- err
		}()
		until(t, "one writer waiting", func() bool { return f.waiting() == 1 })
		if _, err := db.Exec(ctx, SQL("INSERT INTO items VALUES (2)")); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, SQL("COMMIT")); err != nil {
			return err
		}
		if err := <-queued; err != nil {
			t.Errorf("the writer queued behind the hand-written transaction: %v", err)
		}
		if f.isHeld() {
			t.Error("the write lock is held after the hand-written COMMIT")
		}
		// A deferred transaction begun by hand takes no place in the queue.
		if _, err := db.Exec(ctx, SQL("BEGIN")); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, SQL("INSERT INTO items VALUES (3)")); err != nil {
			return err
		}
		if f.isHeld() {
			t.Error("a deferred transaction begun by hand holds the write lock")
		}
		if _, err := db.Exec(ctx, SQL("COMMIT")); err != nil {
			return err
		}
		_, err := db.Exec(ctx, SQL("BEGIN EXCLUSIVE"))
		if !f.isHeld() {
			t.Error("BEGIN EXCLUSIVE by hand does not hold the write lock")
		}
		return err // left open: the end of WithConn rolls it back
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.isHeld() {
		t.Error("the write lock is held after WithConn ended with a transaction open")
	}
}

func TestSQLiteStatementKind(t *testing.T) {
	for q, want := range map[string]sqliteKind{
		"SELECT 1":                             sqliteRead,
		"  -- c\n select * from t":             sqliteRead,
		"/* x */ VALUES (1)":                   sqliteRead,
		"EXPLAIN QUERY PLAN SELECT 1":          sqliteRead,
		"SELECT 1; DELETE FROM t":              sqliteWrite,
		"SELECT ';'":                           sqliteRead,
		"WITH x AS (SELECT 1) SELECT * FROM x": sqliteWrite, // may be WITH ... INSERT
		"INSERT INTO t VALUES (1)":             sqliteWrite,
		"PRAGMA user_version = 3":              sqliteWrite,
		"BEGIN IMMEDIATE":                      sqliteBeginLocking,
		"begin /* c */ exclusive transaction":  sqliteBeginLocking,
		"BEGIN":                                sqliteBeginDeferred,
		"BEGIN DEFERRED":                       sqliteBeginDeferred,
		"BEGIN TRANSACTION":                    sqliteBeginDeferred,
		"savepoint a":                          sqliteBeginDeferred,
		"COMMIT":                               sqliteEnd,
		"END TRANSACTION":                      sqliteEnd,
		"ROLLBACK":                             sqliteEnd,
		"ROLLBACK TRANSACTION":                 sqliteEnd,
		"ROLLBACK TO a":                        sqliteWrite,
		"ROLLBACK TRANSACTION TO SAVEPOINT a":  sqliteWrite,
		"RELEASE a":                            sqliteWrite,
	} {
		if got := sqliteStatementKind(q); got != want {
			t.Errorf("%q: kind %d, want %d", q, got, want)
		}
	}
}
