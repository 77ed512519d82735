package conn_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
		if !errors.Is(err, conn.ErrNotInitialized) || !errors.Is(err, conn.ErrInterface) {
			t.Errorf("%s before Init: %v, want ErrNotInitialized (an ErrInterface)", what, err)
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
			assertOne(t, db, "after Init")
			if !db.Initialized() || db.Dialect() == nil {
				t.Error("after Init: not initialised")
			}
			// Init runs again: the DB switches to the new database and stays usable.
			if err := db.Init(t.Context(), tdb.URL); err != nil {
				t.Errorf("second Init: %v", err)
			}
			assertOne(t, db, "after a second Init")
			if err := db.InitConfig(t.Context(), conn.Config{URL: tdb.URL}); err != nil {
				t.Errorf("InitConfig after Init: %v", err)
			}
			assertOne(t, db, "after InitConfig")
			// Init after Close makes the DB usable again.
			if err := db.Close(); err != nil {
				t.Error(err)
			}
			if _, err := db.Exec(t.Context(), conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrClosed) {
				t.Errorf("after Close: %v, want ErrClosed", err)
			}
			if err := db.Init(t.Context(), tdb.URL); err != nil {
				t.Fatalf("Init after Close: %v", err)
			}
			assertOne(t, db, "after Init following Close")
			// Uninit goes back to a declared DB; Init after it works as the first did.
			if err := db.Uninit(); err != nil {
				t.Fatal(err)
			}
			assertNotInitialized(t, db)
			if err := db.Uninit(); err != nil {
				t.Errorf("Uninit of an uninitialised DB: %v", err)
			}
			if err := db.Init(t.Context(), tdb.URL); err != nil {
				t.Fatal(err)
			}
			assertOne(t, db, "after Uninit and Init")
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		}
	})
}

// assertOne checks that db answers SELECT 1.
func assertOne(t *testing.T, db *conn.DB, when string) {
	t.Helper()
	var one int
	if err := db.QueryRow(t.Context(), conn.SQL("SELECT 1")).Scan(&one); err != nil || one != 1 {
		t.Errorf("%s: SELECT 1 gave %d, %v", when, one, err)
	}
}

// Goroutines racing to Init all succeed, one after the other; the DB ends up on one of the
// databases, and the pools of the others are closed (goleak in TestMain checks that no pool
// is left running).
func TestDeferredInitRace(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := conn.Deferred()
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if err := db.Init(t.Context(), tdb.URL, conn.ConnectEagerly()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if _, err := db.Exec(t.Context(), conn.SQL("SELECT 1")); err != nil {
			t.Error(err)
		}
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
}

// Re-Init and Uninit while a block runs: the block finishes on the connection it pinned
// (its temporary table is still there), while statements made outside it run on the new
// database, or fail with ErrNotInitialized after Uninit.
func TestReinitLetsRunningBlocksFinish(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := conn.Deferred()
		if err := db.Init(t.Context(), tdb.URL); err != nil {
			t.Fatal(err)
		}
		for _, swap := range []struct {
			name string
			do   func() error
			ok   bool // statements outside the block work after the swap
		}{
			{"Init", func() error { return db.Init(t.Context(), tdb.URL) }, true},
			{"Uninit", db.Uninit, false},
		} {
			err := db.WithConn(t.Context(), func(ctx context.Context) error {
				mustExecCtx(t, ctx, db, "CREATE TEMPORARY TABLE held (n int)")
				if err := swap.do(); err != nil {
					t.Fatalf("%s inside a block: %v", swap.name, err)
				}
				// The block goes on on its connection of the old database.
				if n := count(t, ctx, db, "held"); n != 0 {
					t.Errorf("after %s: held has %d rows", swap.name, n)
				}
				err := db.Atomic(ctx, func(ctx context.Context) error {
					_, err := db.Exec(ctx, conn.SQL("INSERT INTO held VALUES (1)"))
					return err
				})
				if err != nil {
					t.Errorf("a transaction in the block after %s: %v", swap.name, err)
				}
				// Outside the block: the new database, where the temporary table is not.
				_, err = db.Exec(t.Context(), conn.SQL("SELECT COUNT(*) FROM held"))
				switch {
				case swap.ok && !errors.Is(err, conn.ErrProgramming):
					t.Errorf("after %s, a statement outside the block: %v, want no such table", swap.name, err)
				case !swap.ok && !errors.Is(err, conn.ErrNotInitialized):
					t.Errorf("after %s, a statement outside the block: %v, want ErrNotInitialized", swap.name, err)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("block around %s: %v", swap.name, err)
			}
		}
		if err := db.Init(t.Context(), tdb.URL); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
}

// Statements keep running while the DB is re-initialised over and over: each runs on the
// database it started on or on the new one, and none fails for the switch.
func TestReinitUnderLoad(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		pool := conn.WithPool(conn.PoolConfig{MaxConns: 2})
		db := conn.Deferred(pool)
		if err := db.Init(t.Context(), tdb.URL); err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		defer wg.Wait()
		var stopOnce sync.Once
		halt := func() { stopOnce.Do(func() { close(stop) }) }
		defer halt() // also when a check below ends the test early
		var ran atomic.Int64
		for g := range 3 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					var err error
					switch g {
					case 0:
						_, err = db.Exec(t.Context(), conn.SQL("SELECT 1"))
					case 1:
						_, err = conn.Scalar[int64](t.Context(), db, conn.SQL("SELECT 1"))
					default:
						err = db.WithConn(t.Context(), func(ctx context.Context) error {
							_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
							return err
						})
					}
					if err != nil {
						t.Errorf("a statement while Init switched databases: %v", err)
						return
					}
					ran.Add(1)
				}
			})
		}
		for range 10 {
			before := ran.Load()
			if err := db.Init(t.Context(), tdb.URL); err != nil {
				t.Error(err)
			}
			// Let statements run on each database before the next switch.
			waitFor(t, 30*time.Second, "statements to run after Init", func() bool { return ran.Load() >= before+6 })
		}
		halt()
		wg.Wait()
		if ran.Load() == 0 {
			t.Error("no statement ran")
		}
		if err := db.Close(); err != nil {
			t.Error(err)
		}
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

// Options given to Deferred apply at every Init, before Init's own: the init hook runs on the
// connections of each database Init opens, and Init's pool settings win over Deferred's.
func TestDeferredOptions(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		var hooked atomic.Int64
		db := conn.Deferred(
			conn.WithInit(func(context.Context, conn.InitConn) error { hooked.Add(1); return nil }),
			conn.WithPool(conn.PoolConfig{MaxConns: 3}),
		)
		if err := db.Init(t.Context(), tdb.URL); err != nil {
			t.Fatal(err)
		}
		assertOne(t, db, "after Init")
		if s := db.Stats(); s.MaxConns != 3 || hooked.Load() == 0 {
			t.Errorf("Deferred's options not applied: MaxConns %d, hook ran %d times", s.MaxConns, hooked.Load())
		}
		before := hooked.Load()
		if err := db.Init(t.Context(), tdb.URL, conn.WithPool(conn.PoolConfig{MaxConns: 2})); err != nil {
			t.Fatal(err)
		}
		assertOne(t, db, "after the second Init")
		if s := db.Stats(); s.MaxConns != 2 || hooked.Load() == before {
			t.Errorf("second Init: MaxConns %d (want Init's 2), hook ran %d times in all", s.MaxConns, hooked.Load())
		}
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
}
