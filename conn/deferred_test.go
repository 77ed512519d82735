package conn_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// assertNotInitialized makes every kind of call on db and checks each fails with
// ErrNotInitialized, without a panic.
func assertNotInitialized(t *testing.T, db *conn.DB) {
	t.Helper()
	ctx := t.Context()
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, conn.ErrNotInitialized) {
			t.Errorf("%s before Init: %v, want ErrNotInitialized", what, err)
		}
	}
	_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
	check("Exec", err)
	_, err = db.Query(ctx, conn.SQL("SELECT 1"))
	check("Query", err)
	var n int
	check("QueryRow", db.QueryRow(ctx, conn.SQL("SELECT 1")).Scan(&n))
	_, err = conn.All[int](ctx, db, conn.SQL("SELECT 1"))
	check("All", err)
	_, err = conn.One[int](ctx, db, conn.SQL("SELECT 1"))
	check("One", err)
	check("Connect", db.Connect(ctx))
	check("WithConn", db.WithConn(ctx, func(context.Context) error { return nil }))
	check("Atomic", db.Atomic(ctx, func(context.Context) error { return nil }))
	check("Transaction", db.Transaction(ctx, func(context.Context) error { return nil }))
	check("Close", db.Close())
	if db.Dialect() != nil || db.Initialized() {
		t.Error("an uninitialised DB reports a dialect or being initialised")
	}
	if s := db.Stats(); s != (conn.PoolStats{}) {
		t.Errorf("Stats before Init: %+v", s)
	}
	if s := db.String(); s == "" {
		t.Error("String is empty")
	}
}

func TestDeferredInit(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		var zero conn.DB // the zero value is a deferred DB
		for _, db := range []*conn.DB{&zero, conn.Deferred()} {
			assertNotInitialized(t, db)
			if err := db.Init(t.Context(), tdb.URL); err != nil {
				t.Fatal(err)
			}
			var one int
			if err := db.QueryRow(t.Context(), conn.SQL("SELECT 1")).Scan(&one); err != nil || one != 1 {
				t.Errorf("after Init: %d, %v", one, err)
			}
			if !db.Initialized() || db.Dialect() == nil {
				t.Error("after Init: not initialised")
			}
			if err := db.Init(t.Context(), tdb.URL); !errors.Is(err, conn.ErrAlreadyInitialized) {
				t.Errorf("second Init: %v, want ErrAlreadyInitialized", err)
			}
			if err := db.InitConfig(t.Context(), conn.Config{URL: tdb.URL}); !errors.Is(err, conn.ErrAlreadyInitialized) {
				t.Errorf("InitConfig after Init: %v, want ErrAlreadyInitialized", err)
			}
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		}
	})
}

// Goroutines racing to Init: exactly one wins, the others get ErrAlreadyInitialized, and the
// databases the losers opened are closed (goleak in TestMain checks no pool is left running).
func TestDeferredInitRace(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := conn.Deferred()
		var wins, losses atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				err := db.Init(t.Context(), tdb.URL, conn.ConnectEagerly())
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, conn.ErrAlreadyInitialized):
					losses.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 || losses.Load() != 7 {
			t.Errorf("%d Inits won and %d lost, want 1 and 7", wins.Load(), losses.Load())
		}
		if _, err := db.Exec(t.Context(), conn.SQL("SELECT 1")); err != nil {
			t.Error(err)
		}
		db.Close()
	})
}

func TestDeferredInitFailureLeavesItUninitialized(t *testing.T) {
	db := conn.Deferred()
	if err := db.Init(t.Context(), "nosuch://x"); err == nil {
		t.Fatal("Init with a bad URL succeeded")
	}
	assertNotInitialized(t, db)
	var nilDB *conn.DB
	if _, err := nilDB.Exec(t.Context(), conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrNotInitialized) {
		t.Errorf("Exec on a nil *DB: %v", err)
	}
	if err := nilDB.Init(t.Context(), "sqlite:///:memory:"); !errors.Is(err, conn.ErrNotInitialized) {
		t.Errorf("Init on a nil *DB: %v", err)
	}
}
