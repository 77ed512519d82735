package conn_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// onEach pins n distinct connections of db at once and runs fn on each, concurrently.
func onEach(t *testing.T, db *conn.DB, n int, fn func(ctx context.Context) error) {
	t.Helper()
	var all, wg sync.WaitGroup
	all.Add(n)
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			pinned := false
			err := db.WithConn(t.Context(), func(ctx context.Context) error {
				pinned = true
				all.Done()
				all.Wait() // every connection is held before any runs fn: they are distinct
				return fn(ctx)
			})
			if !pinned {
				all.Done()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestInitHookOncePerConnection: the hook runs once on each new physical connection, before
// any statement, and not again when the pool hands the connection out again.
func TestInitHookOncePerConnection(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		var calls atomic.Int64
		var db *conn.DB
		setup, check := "", ""
		hook := func(ctx context.Context, c conn.InitConn) error {
			calls.Add(1)
			// A session setting with a bound argument, checked on every connection below.
			return c.Exec(ctx, setup, "typedsql-init")
		}
		switch tdb.Engine {
		case testcontainers.EnginePostgres:
			setup, check = "SELECT set_config('application_name', $1, false)", "SELECT current_setting('application_name')"
		case testcontainers.EngineMySQL:
			setup, check = "SET @typedsql_init = ?", "SELECT @typedsql_init"
		default:
			setup = "CREATE TEMP TABLE init_mark AS SELECT ? AS v"
			check = "SELECT v FROM init_mark"
		}
		db = openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 3}), conn.WithInit(hook))
		for round := range 2 {
			onEach(t, db, 3, func(ctx context.Context) error {
				v, err := conn.Scalar[string](ctx, db, conn.SQL(check))
				if err == nil && v != "typedsql-init" {
					err = errors.New("the init hook's setting is missing: got " + v)
				}
				return err
			})
			if n := calls.Load(); n != 3 {
				t.Errorf("round %d: hook ran %d times for 3 connections", round+1, n)
			}
		}
		if s := db.Stats(); s.NewConns != 3 {
			t.Errorf("stats: %+v; want 3 new connections", s)
		}
	})
}

// TestInitHookFailure: a failing hook fails the statement that needed the connection, says
// which hook, and leaves no half-prepared connection in the pool.
func TestInitHookFailure(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		boom := errors.New("boom")
		db := openT(t, tdb, conn.WithInit(func(context.Context, conn.InitConn) error { return nil }),
			conn.WithInit(func(context.Context, conn.InitConn) error { return boom }))
		_, err := db.Exec(t.Context(), conn.SQL("SELECT 1"))
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "init hook 2 of 2") {
			t.Errorf("statement on a connection whose hook failed: %v", err)
		}
		if s := db.Stats(); s.TotalConns != 0 {
			t.Errorf("a connection whose hook failed stayed in the pool: %+v", s)
		}
	})
}

type pragmas struct {
	ForeignKeys, BusyTimeout, CacheSize, MmapSize, Synchronous int64
	JournalMode                                                string
}

// readPragmas reads the pragmas of the connection ctx pins (or of any pooled one).
func readPragmas(ctx context.Context, db *conn.DB) (p pragmas, err error) {
	ints := []struct {
		name string
		dst  *int64
	}{
		{"foreign_keys", &p.ForeignKeys}, {"busy_timeout", &p.BusyTimeout}, {"cache_size", &p.CacheSize},
		{"mmap_size", &p.MmapSize}, {"synchronous", &p.Synchronous},
	}
	err = db.WithConn(ctx, func(ctx context.Context) error {
		for _, i := range ints {
			*i.dst, err = conn.Scalar[int64](ctx, db, conn.SQL("PRAGMA "+i.name))
			if errors.Is(err, conn.ErrNoRows) && i.name == "mmap_size" {
				*i.dst, err = -1, nil // the memdb VFS has no memory mapping to report
			}
			if err != nil {
				return err
			}
		}
		p.JournalMode, err = conn.Scalar[string](ctx, db, conn.SQL("PRAGMA journal_mode"))
		return err
	})
	return p, err
}

// TestSQLitePragmaDefaults reads the pragmas back from every pooled connection.
func TestSQLitePragmaDefaults(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 3}))
	onEach(t, db, 3, func(ctx context.Context) error {
		p, err := readPragmas(ctx, db)
		if err != nil {
			return err
		}
		if p.ForeignKeys != 1 || p.BusyTimeout != 5000 || p.JournalMode != "wal" {
			t.Errorf("default pragmas: %+v; want foreign_keys 1, busy_timeout 5000, journal_mode wal", p)
		}
		return nil
	})
	mustExecAll(t, db,
		"CREATE TABLE parent (id integer PRIMARY KEY)",
		"CREATE TABLE child (parent_id integer REFERENCES parent (id))")
	_, err := db.Exec(t.Context(), conn.SQL("INSERT INTO child VALUES (7)"))
	if !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("foreign keys are not enforced by default: %v", err)
	}
}

func TestSQLitePragmaOptions(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	off := false
	db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 2}), conn.WithSQLite(conn.SQLiteConfig{
		JournalMode: "truncate", ForeignKeys: &off, BusyTimeout: conn.Duration(250 * time.Millisecond),
		CacheSize: -4000, MmapSize: 1 << 20, Synchronous: "normal",
	}))
	onEach(t, db, 2, func(ctx context.Context) error {
		p, err := readPragmas(ctx, db)
		if err != nil {
			return err
		}
		want := pragmas{ForeignKeys: 0, BusyTimeout: 250, JournalMode: "truncate", CacheSize: -4000, MmapSize: 1 << 20, Synchronous: 1}
		if p != want {
			t.Errorf("pragmas: %+v; want %+v", p, want)
		}
		return nil
	})
	// The same through the URL.
	db2 := openURL(t, "sqlite:///"+strings.TrimPrefix(tdb.URL, "sqlite:///")+"?journal_mode=delete&foreign_keys=off&busy_timeout=100&synchronous=full")
	p, err := readPragmas(t.Context(), db2)
	if err != nil || p.JournalMode != "delete" || p.ForeignKeys != 0 || p.BusyTimeout != 100 || p.Synchronous != 2 {
		t.Errorf("pragmas from the URL: %+v, %v", p, err)
	}
}

// TestSQLiteMemoryShared: sqlite:///:memory: is one database every pooled connection of the DB
// sees, and another DB's :memory: is another database.
func TestSQLiteMemoryShared(t *testing.T) {
	db := openURL(t, "sqlite:///:memory:?pool_max_conns=4")
	ctx := t.Context()
	mustExecAll(t, db, "CREATE TABLE shared (n integer)", "INSERT INTO shared VALUES (1)")
	var next atomic.Int64
	onEach(t, db, 4, func(ctx context.Context) error {
		_, err := db.Exec(ctx, conn.SQL("INSERT INTO shared VALUES (?)"), next.Add(1)+1)
		return err
	})
	if n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT count(*) FROM shared")); err != nil || n != 5 {
		t.Errorf("rows written from 4 connections and read from a fifth: %d, %v; want 5", n, err)
	}
	if s := db.Stats(); s.MaxConns != 4 || s.TotalConns != 4 || s.NewConns != 4 {
		t.Errorf("stats of the in-memory pool: %+v; want 4 connections (the keeper left out)", s)
	}
	p, err := readPragmas(ctx, db)
	if err != nil || p.ForeignKeys != 1 || p.BusyTimeout != 5000 || p.JournalMode != "memory" || p.MmapSize != -1 {
		t.Errorf("in-memory pragmas: %+v, %v", p, err)
	}
	other := openURL(t, "sqlite:///:memory:")
	if _, err := other.Exec(ctx, conn.SQL("SELECT * FROM shared")); !errors.Is(err, conn.ErrProgramming) {
		t.Errorf("another DB's :memory: sees the first one's table: %v", err)
	}
}
