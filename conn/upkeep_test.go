package conn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// holder is a WithConn block in a goroutine that holds its connection until let go, and can
// run statements on it meanwhile.
type holder struct {
	run  chan func(ctx context.Context)
	done chan error
}

// holdConn pins a connection of db in a goroutine; mark, if not empty, is a temporary table
// the block creates so that its connection can be told apart from a new one.
func holdConn(t *testing.T, db *conn.DB, mark string) *holder {
	t.Helper()
	h := &holder{run: make(chan func(context.Context)), done: make(chan error, 1)}
	pinned := make(chan struct{})
	go func() {
		h.done <- db.WithConn(context.Background(), func(ctx context.Context) error {
			if mark != "" {
				if _, err := db.Exec(ctx, conn.SQL("CREATE TEMPORARY TABLE "+mark+" (n int)")); err != nil {
					return err
				}
			}
			close(pinned)
			for fn := range h.run {
				fn(ctx)
			}
			return nil
		})
	}()
	select {
	case <-pinned:
	case err := <-h.done:
		t.Fatalf("could not pin a connection: %v", err)
	}
	return h
}

// do runs fn in the block, on its connection.
func (h *holder) do(fn func(ctx context.Context)) {
	ran := make(chan struct{})
	h.run <- func(ctx context.Context) { fn(ctx); close(ran) }
	<-ran
}

// release ends the block: its connection goes back to the pool.
func (h *holder) release(t *testing.T) {
	t.Helper()
	close(h.run)
	if err := <-h.done; err != nil {
		t.Errorf("held block: %v", err)
	}
}

// idleConns makes n connections and leaves them idle in the pool.
func idleConns(t *testing.T, db *conn.DB, n int) {
	t.Helper()
	hs := make([]*holder, n)
	for i := range hs {
		hs[i] = holdConn(t, db, "")
	}
	for _, h := range hs {
		h.release(t)
	}
	if s := db.Stats(); s.Idle != n || s.InUse != 0 {
		t.Fatalf("after making %d idle connections: %+v", n, s)
	}
}

// sees reports whether a statement made with ctx sees the temporary table, that is, runs on
// the connection that made it.
func sees(ctx context.Context, db *conn.DB, table string) bool {
	_, err := db.Exec(ctx, conn.SQL("SELECT COUNT(*) FROM "+table))
	return err == nil
}

func TestCloseIdle(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 3}))
		idleConns(t, db, 2)
		busy := holdConn(t, db, "idle_busy") // takes one of the idle two
		if err := db.CloseIdle(t.Context()); err != nil {
			t.Fatal(err)
		}
		if s := db.Stats(); s.TotalConns != 1 || s.InUse != 1 || s.ClosedByCloseIdle != 1 {
			t.Errorf("after CloseIdle with one connection in use and one idle: %+v", s)
		}
		// The connection in use was left alone, and the DB goes on.
		busy.do(func(ctx context.Context) {
			if !sees(ctx, db, "idle_busy") {
				t.Error("the block in use lost its connection to CloseIdle")
			}
		})
		busy.release(t)
		if s := db.Stats(); s.Idle != 1 {
			t.Errorf("the connection in use did not go back to the pool: %+v", s)
		}
		if _, err := db.Exec(t.Context(), conn.SQL("SELECT 1")); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseIdle(t.Context()); err != nil {
			t.Fatal(err)
		}
		if s := db.Stats(); s.TotalConns != 0 || s.ClosedByCloseIdle != 2 {
			t.Errorf("after the second CloseIdle: %+v", s)
		}
	})
}

// CloseStale closes the connections older than the age: idle ones now (at their next checkout
// on database/sql), the ones in use when they come back; younger ones stay.
func TestCloseStale(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 3}))
		inUse := holdConn(t, db, "stale_in_use") // old, in use
		oldIdle := holdConn(t, db, "")           // old, idle below
		oldMade := time.Now()
		// The age between the old connections and the young one is what CloseStale cuts at:
		// wide enough that a slow machine does not blur it.
		time.Sleep(400 * time.Millisecond)
		youngMade := time.Now()
		young := holdConn(t, db, "")
		oldIdle.release(t)
		young.release(t)
		cut := oldMade.Add(youngMade.Sub(oldMade) / 2)
		if err := db.CloseStale(t.Context(), time.Since(cut)); err != nil {
			t.Fatal(err)
		}
		native := tdb.Engine == testcontainers.EnginePostgres
		s := db.Stats()
		if native && (s.ClosedByCloseStale != 1 || s.TotalConns != 2) {
			t.Errorf("pgxpool: after CloseStale the old idle connection is not closed: %+v", s)
		}
		// The block in use goes on on its connection, which closes when it comes back.
		inUse.do(func(ctx context.Context) {
			if !sees(ctx, db, "stale_in_use") {
				t.Error("CloseStale closed a connection under its user")
			}
		})
		before := db.Stats().ClosedByCloseStale
		inUse.release(t)
		if s := db.Stats(); s.ClosedByCloseStale != before+1 {
			t.Errorf("the stale connection in use was not closed when it came back: %+v", s)
		}
		// Taking both idle connections: the young one stays, the old one (on database/sql
		// closed at this checkout) is replaced.
		a, b := holdConn(t, db, ""), holdConn(t, db, "")
		a.release(t)
		b.release(t)
		if s := db.Stats(); s.ClosedByCloseStale != 2 || s.ClosedByResetPool != 0 || s.ClosedByCloseIdle != 0 {
			t.Errorf("after CloseStale: %+v; want 2 stale connections closed", s)
		}
		if s := db.Stats(); s.TotalConns != 2 {
			t.Errorf("after CloseStale: %d connections, want 2 (the young one and one new)", s.TotalConns)
		}
		if err := db.CloseStale(t.Context(), -time.Second); err == nil {
			t.Error("CloseStale with a negative age succeeded")
		}
	})
}

// ResetPool on a full pool: the connection in use is closed only when its block ends, and the
// caller waiting for a connection then gets a new one rather than the old.
func TestResetPoolWakesWaiter(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 1, AcquireTimeout: conn.Duration(time.Minute)}))
		held := holdConn(t, db, "reset_mark")
		type outcome struct {
			sawMark bool
			err     error
		}
		waiter := make(chan outcome, 1)
		calling := make(chan struct{})
		go func() {
			close(calling)
			var o outcome
			o.err = db.WithConn(t.Context(), func(ctx context.Context) error {
				o.sawMark = sees(ctx, db, "reset_mark")
				return nil
			})
			waiter <- o
		}()
		<-calling
		if tdb.Engine != testcontainers.EnginePostgres {
			// database/sql counts a wait as it begins: let the waiter get in line (it gets
			// a new connection all the same if it comes later).
			deadline := time.Now().Add(5 * time.Second)
			for db.Stats().WaitCount == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
		}
		if err := db.ResetPool(t.Context()); err != nil {
			t.Fatal(err)
		}
		held.do(func(ctx context.Context) {
			if !sees(ctx, db, "reset_mark") {
				t.Error("ResetPool closed the connection under its user")
			}
		})
		select {
		case o := <-waiter:
			t.Fatalf("the waiter got a connection while the pool's one was in use: %+v", o)
		default:
		}
		held.release(t)
		select {
		case o := <-waiter:
			if o.err != nil {
				t.Fatalf("the waiter: %v", o.err)
			}
			if o.sawMark {
				t.Error("the waiter got the connection ResetPool condemned")
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the waiter was not woken when the condemned connection came back")
		}
		if s := db.Stats(); s.ClosedByResetPool != 1 || s.TotalConns != 1 {
			t.Errorf("after ResetPool: %+v", s)
		}
	})
}

// ResetPool closes the idle connections at once and leaves the DB usable.
func TestResetPoolIdle(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 2}))
		idleConns(t, db, 2)
		if err := db.ResetPool(t.Context()); err != nil {
			t.Fatal(err)
		}
		if s := db.Stats(); s.TotalConns != 0 || s.ClosedByResetPool != 2 {
			t.Errorf("after ResetPool: %+v", s)
		}
		if n, err := conn.Scalar[int64](t.Context(), db, conn.SQL("SELECT 1")); err != nil || n != 1 {
			t.Errorf("after ResetPool: %d, %v", n, err)
		}
		// A closed DB refuses upkeep like everything else.
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{
			"CloseIdle": db.CloseIdle(t.Context()), "CloseStale": db.CloseStale(t.Context(), 0), "ResetPool": db.ResetPool(t.Context()),
		} {
			if !errors.Is(err, conn.ErrClosed) {
				t.Errorf("%s on a closed DB: %v, want ErrClosed", name, err)
			}
		}
		if err := conn.Deferred().ResetPool(t.Context()); !errors.Is(err, conn.ErrNotInitialized) {
			t.Errorf("ResetPool before Init: %v", err)
		}
	})
}
