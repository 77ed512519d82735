package conn_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
)

// sqliteFileURL is a URL for a new database file in the test's directory.
func sqliteFileURL(t *testing.T, name, params string) string {
	return withParams("sqlite:///"+filepath.Join(t.TempDir(), name), params)
}

// TestSQLiteWritersQueue is the case of the report: eight writers, each running 500 short
// transactions (db.Atomic, BEGIN IMMEDIATE) on one WAL file at once. Every one commits.
// Before the write queue, SQLite's busy handler, which polls, let a few writers wait past
// busy_timeout and fail with "database is locked": 0 to 2 calls in 4,000 at the default 5 s,
// and at the 1 s here 1 to 6 in every run with the race detector. In the queue a writer
// waits only while the lock moves from one short transaction to the next.
func TestSQLiteWritersQueue(t *testing.T) {
	const writers, blocks = 8, 500
	// synchronous=OFF: a commit does not wait for the disk, whose stalls on a shared machine
	// have nothing to do with the queue.
	db := openURL(t, sqliteFileURL(t, "queue.db", "pool_max_conns=8&synchronous=OFF&busy_timeout=1000"))
	mustExec(t, db, "CREATE TABLE items (id integer PRIMARY KEY, writer integer NOT NULL)")
	var failed atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range blocks {
				err := db.Atomic(t.Context(), func(ctx context.Context) error {
					_, err := db.Exec(ctx, conn.SQL("INSERT INTO items VALUES (?, ?)"), w*blocks+i, w)
					return err
				})
				if err != nil && failed.Add(1) <= 3 {
					t.Errorf("writer %d, transaction %d: %v", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Errorf("%d of %d transactions failed", n, writers*blocks)
	}
	if n, err := conn.Scalar[int64](t.Context(), db, conn.SQL("SELECT count(*) FROM items")); err != nil || n != writers*blocks-failed.Load() {
		t.Errorf("%d rows, %v; want %d", n, err, writers*blocks-failed.Load())
	}
}

// TestSQLiteWriterGetsItsTurn: while one writer runs transaction after transaction, others
// each get their turn. SQLite's busy handler wakes now and then to try the lock, and the
// looping writer takes it again microseconds after each COMMIT, so a waiter that kept
// missing those gaps failed after busy_timeout (several in every run, with or without the
// race detector); in the queue a waiter is served as soon as the transaction running when it
// came ends. Each of the looping writer's transactions holds the lock ten milliseconds, a
// hundredth of busy_timeout, and the waiters stop it when they are done.
func TestSQLiteWriterGetsItsTurn(t *testing.T) {
	const waiters, turns = 3, 20
	db := openURL(t, sqliteFileURL(t, "turn.db", "pool_max_conns=4&synchronous=OFF&busy_timeout=1000"))
	mustExec(t, db, "CREATE TABLE items (id integer PRIMARY KEY AUTOINCREMENT, who text NOT NULL)")
	ctx := t.Context()
	stop, looping := make(chan struct{}), make(chan struct{})
	looped := make(chan error, 1)
	go func() {
		var once sync.Once
		var err error
		for err == nil {
			select {
			case <-stop:
				looped <- nil
				return
			default:
			}
			err = db.Atomic(ctx, func(ctx context.Context) error {
				_, err := db.Exec(ctx, conn.SQL("INSERT INTO items (who) VALUES ('looper')"))
				once.Do(func() { close(looping) }) // the waiters start while it holds the lock
				time.Sleep(10 * time.Millisecond)
				return err
			})
		}
		once.Do(func() { close(looping) })
		looped <- err
	}()
	<-looping
	var wg sync.WaitGroup
	var failed atomic.Int64
	for w := range waiters {
		wg.Go(func() {
			for i := range turns {
				err := db.Atomic(ctx, func(ctx context.Context) error {
					_, err := db.Exec(ctx, conn.SQL("INSERT INTO items (who) VALUES (?)"), fmt.Sprint("waiter", w))
					return err
				})
				if err != nil {
					failed.Add(1)
					t.Errorf("waiter %d, turn %d: %v", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	if err := <-looped; err != nil {
		t.Errorf("the looping writer: %v", err)
	}
	n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT count(*) FROM items WHERE who <> 'looper'"))
	if want := waiters*turns - failed.Load(); err != nil || n != want {
		t.Errorf("%d waiters' rows, %v; want %d", n, err, want)
	}
}

// TestSQLiteWriteQueueMixed: autocommit writes on the pool, INSERT ... RETURNING read while
// other writers run, writes on a WithConn connection and in a transaction begun there by
// hand, and blocks, all on one file at once and through two DBs: every write lands, and a
// result set that holds the lock lets the others go once it is closed. (Deferred blocks are
// left out: they do not queue, and under this contention they fail as SQLite's deferred
// transactions do, see TestSQLiteDeferredBlockPassesQueue.)
func TestSQLiteWriteQueueMixed(t *testing.T) {
	const rounds = 60
	url := sqliteFileURL(t, "mixed.db", "pool_max_conns=4&synchronous=OFF&busy_timeout=2000")
	db, other := openURL(t, url), openURL(t, url)
	mustExec(t, db, "CREATE TABLE items (id integer PRIMARY KEY AUTOINCREMENT, kind text NOT NULL)")
	ctx := t.Context()
	ins := func(ctx context.Context, d *conn.DB, kind string) error {
		_, err := d.Exec(ctx, conn.SQL("INSERT INTO items (kind) VALUES (?)"), kind)
		return err
	}
	kinds := map[string]func() error{
		"autocommit": func() error { return ins(ctx, db, "autocommit") },
		"other DB":   func() error { return ins(ctx, other, "other DB") },
		"returning": func() error {
			rows, err := db.Query(ctx, conn.SQL("INSERT INTO items (kind) VALUES ('returning') RETURNING id"))
			if err != nil {
				return err
			}
			defer rows.Close()
			if !rows.Next() {
				return fmt.Errorf("RETURNING gave no row: %v", rows.Err())
			}
			return rows.Close()
		},
		"block": func() error {
			return db.Atomic(ctx, func(ctx context.Context) error { return ins(ctx, db, "block") })
		},
		"withconn": func() error {
			return db.WithConn(ctx, func(ctx context.Context) error {
				if err := ins(ctx, db, "withconn"); err != nil {
					return err
				}
				return ins(ctx, db, "withconn")
			})
		},
		"by hand": func() error {
			return db.WithConn(ctx, func(ctx context.Context) error {
				if _, err := db.Exec(ctx, conn.SQL("BEGIN IMMEDIATE")); err != nil {
					return err
				}
				if err := ins(ctx, db, "by hand"); err != nil {
					return err
				}
				_, err := db.Exec(ctx, conn.SQL("COMMIT"))
				return err
			})
		},
	}
	var wg sync.WaitGroup
	for kind, write := range kinds {
		wg.Go(func() {
			for i := range rounds {
				if err := write(); err != nil {
					t.Errorf("%s, round %d: %v", kind, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	got, err := conn.All[struct {
		Kind string `db:"kind"`
		N    int64  `db:"n"`
	}](ctx, db, conn.SQL("SELECT kind, count(*) AS n FROM items GROUP BY kind"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range got {
		want := int64(rounds)
		if g.Kind == "withconn" {
			want *= 2
		}
		if g.N != want {
			t.Errorf("%d rows of %s; want %d", g.N, g.Kind, want)
		}
	}
	if len(got) != len(kinds) {
		t.Errorf("rows of %d kinds; want %d", len(got), len(kinds))
	}
}

// TestSQLiteFreshFileManyDBs: several DBs opened on one new file at once, each connecting
// at once (ConnectEagerly). Switching a new file to WAL needs it to itself, and a connection
// opening meanwhile failed with "database is locked" without waiting on busy_timeout (as
// TestDeferredInitRace did now and then): connections to a file are now opened one at a
// time in the process, whichever DB they are for.
func TestSQLiteFreshFileManyDBs(t *testing.T) {
	const files, dbs = 50, 16
	dir := t.TempDir()
	for f := range files {
		path := filepath.Join(dir, fmt.Sprintf("fresh%d.db", f))
		if err := os.WriteFile(path, nil, 0o600); err != nil { // as a harness or a deploy script leaves it
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for d := range dbs {
			wg.Go(func() {
				<-start // all at once, to make the connections meet
				db, err := conn.Open(t.Context(), "sqlite:///"+path, conn.ConnectEagerly())
				if err != nil {
					t.Errorf("file %d, DB %d: open: %v", f, d, err)
					return
				}
				defer db.Close()
				if _, err := db.Exec(t.Context(), conn.SQL("CREATE TABLE IF NOT EXISTS t (db int)")); err != nil {
					t.Errorf("file %d, DB %d: first statement: %v", f, d, err)
				}
			})
		}
		close(start)
		wg.Wait()
	}
}

// TestSQLiteOutsideWriteInBlock: a block that writes through a context from outside it,
// while it holds the write lock, waits for itself. The outside write fails once the lock has
// not moved for busy_timeout, with an error matching ErrSerialization that says what it
// waited for, instead of hanging; the block goes on and commits its own row.
func TestSQLiteOutsideWriteInBlock(t *testing.T) {
	db := openURL(t, sqliteFileURL(t, "outside.db", "busy_timeout=100"))
	mustExec(t, db, "CREATE TABLE items (id integer PRIMARY KEY)")
	outer := t.Context()
	var outsideErr error
	err := db.Atomic(outer, func(ctx context.Context) error {
		if _, err := db.Exec(ctx, conn.SQL("INSERT INTO items VALUES (1)")); err != nil {
			return err
		}
		_, outsideErr = db.Exec(outer, conn.SQL("INSERT INTO items VALUES (2)")) // the wrong context
		return nil
	})
	if err != nil {
		t.Fatalf("the block: %v", err)
	}
	var e *conn.Error
	if !errors.As(outsideErr, &e) || !errors.Is(outsideErr, conn.ErrSerialization) ||
		!strings.Contains(outsideErr.Error(), "database is locked") || !strings.Contains(outsideErr.Error(), "busy_timeout (100ms)") {
		t.Errorf("outside write: %v; want ErrSerialization, database is locked, naming the busy_timeout", outsideErr)
	}
	if ids, err := conn.All[int64](outer, db, conn.SQL("SELECT id FROM items")); err != nil || len(ids) != 1 || ids[0] != 1 {
		t.Errorf("rows %v, %v; want the block's only", ids, err)
	}
}
