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

// markedDatabases opens two fresh databases of tdb's engine whose table whoami holds "a" and
// "b".
func markedDatabases(t *testing.T, tdb *testcontainers.Database) (a, b *conn.DB) {
	t.Helper()
	other := testcontainers.Open(t, tdb.Engine)
	mustExecHarness(t, tdb, "CREATE TABLE whoami (name varchar(10))")
	mustExecHarness(t, tdb, "INSERT INTO whoami VALUES ('a')")
	mustExecHarness(t, other, "CREATE TABLE whoami (name varchar(10))")
	mustExecHarness(t, other, "INSERT INTO whoami VALUES ('b')")
	return openT(t, tdb), openT(t, other)
}

func whoami(ctx context.Context, db *conn.DB) (string, error) {
	var name string
	err := db.QueryRow(ctx, conn.SQL("SELECT name FROM whoami")).Scan(&name)
	return name, err
}

func TestProxyBeforeSet(t *testing.T) {
	p := conn.NewProxy(nil)
	assertNotInitialized(t, p.DB)
	if err := p.Init(t.Context(), "sqlite:///:memory:"); err == nil {
		t.Error("Init on a proxy's DB succeeded")
	}
	if _, err := p.Set(conn.Deferred()); !errors.Is(err, conn.ErrNotInitialized) {
		t.Errorf("Set to an uninitialised DB: %v, want ErrNotInitialized", err)
	}
	if _, err := p.Set(conn.NewProxy(nil).DB); err == nil {
		t.Error("Set to another proxy's DB succeeded")
	}
	if p.Target() != nil {
		t.Error("a failed Set changed the target")
	}
}

func TestProxySwap(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		a, b := markedDatabases(t, tdb)
		ctx := t.Context()
		p := conn.NewProxy(a)
		db := p.DB
		type swap struct{ old, new *conn.DB }
		var swaps []swap
		p.OnSwap(func(old, new *conn.DB) { swaps = append(swaps, swap{old, new}) })

		if got, err := whoami(ctx, db); got != "a" || err != nil {
			t.Fatalf("proxy to a: %q, %v", got, err)
		}
		if old, err := p.Set(b); old != a || err != nil {
			t.Fatalf("Set(b) returned %v, %v", old, err)
		}
		if got, _ := whoami(ctx, db); got != "b" {
			t.Errorf("after Set(b): %q", got)
		}
		if len(swaps) != 1 || swaps[0] != (swap{a, b}) || p.Target() != b {
			t.Errorf("OnSwap saw %v", swaps)
		}

		// 32 goroutines query through the proxy while it is swapped back and forth: every
		// statement succeeds on one of the two.
		const workers, perWorker, flips = 32, 10, 40
		var seen [2]atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range workers {
			wg.Go(func() {
				<-start
				for range perWorker {
					got, err := whoami(ctx, db)
					switch {
					case err != nil:
						t.Errorf("query during swaps: %v", err)
						return
					case got == "a":
						seen[0].Add(1)
					case got == "b":
						seen[1].Add(1)
					default:
						t.Errorf("query during swaps read %q", got)
					}
				}
			})
		}
		wg.Go(func() {
			<-start
			for i := range flips {
				target := a
				if i%2 == 1 {
					target = b
				}
				if _, err := p.Set(target); err != nil {
					t.Error(err)
				}
				time.Sleep(time.Millisecond)
			}
		})
		close(start)
		wg.Wait()
		if seen[0].Load()+seen[1].Load() != workers*perWorker {
			t.Errorf("%d + %d queries answered, want %d", seen[0].Load(), seen[1].Load(), workers*perWorker)
		}
		if len(swaps) != 1+flips {
			t.Errorf("OnSwap ran %d times, want %d", len(swaps), 1+flips)
		}
		for i := 1; i < len(swaps); i++ {
			if swaps[i].old != swaps[i-1].new {
				t.Fatalf("swap %d reports old target %p, but the previous swap set %p", i, swaps[i].old, swaps[i-1].new)
			}
		}
		if got, _ := whoami(ctx, db); got != "b" { // flips is even: the last Set was b
			t.Errorf("after the swaps: %q, want b", got)
		}
	})
}

// A statement running when the proxy is swapped finishes on the old target, even if the old
// target is closed on swap; a block keeps the target it began on.
func TestProxyInFlightFinishOnOldTarget(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		a, b := markedDatabases(t, tdb)
		ctx := t.Context()
		p := conn.NewProxy(a)
		closed := make(chan error, 1)
		p.OnSwap(func(old, _ *conn.DB) {
			if old != nil {
				go func() { closed <- old.Close() }() // Close waits for the statement running on old
			}
		})
		slow := map[testcontainers.Engine]string{
			testcontainers.EnginePostgres: "SELECT name FROM whoami, pg_sleep(0.3)",
			testcontainers.EngineMySQL:    "SELECT name FROM whoami WHERE SLEEP(0.3) = 0",
			testcontainers.EngineSQLite:   "SELECT name FROM whoami WHERE (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 50000) SELECT COUNT(*) FROM c) > 0",
		}[tdb.Engine]
		result := make(chan string, 1)
		started := make(chan struct{})
		go func() {
			var name string
			close(started)
			err := p.DB.QueryRow(ctx, conn.SQL(slow)).Scan(&name)
			if err != nil {
				name = err.Error()
			}
			result <- name
		}()
		<-started
		time.Sleep(50 * time.Millisecond) // the statement is on a's connection by now

		// A block begun on a keeps a after the swap.
		blockSaw := make(chan string, 2)
		inBlock, swapped := make(chan struct{}), make(chan struct{})
		go func() {
			err := p.DB.WithConn(ctx, func(ctx context.Context) error {
				close(inBlock)
				<-swapped
				for range 2 {
					got, err := whoami(ctx, p.DB)
					if err != nil {
						return err
					}
					blockSaw <- got
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
			close(blockSaw)
		}()
		<-inBlock
		if _, err := p.Set(b); err != nil {
			t.Fatal(err)
		}
		close(swapped)
		if got, err := whoami(ctx, p.DB); got != "b" || err != nil {
			t.Errorf("new statement after the swap: %q, %v", got, err)
		}
		if got := <-result; got != "a" {
			t.Errorf("the statement in flight during the swap: %q, want it to finish on a", got)
		}
		for got := range blockSaw {
			if got != "a" {
				t.Errorf("the block begun before the swap read %q, want a", got)
			}
		}
		select {
		case err := <-closed:
			if err != nil {
				t.Errorf("closing the old target: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("closing the old target did not finish")
		}
		if _, err := a.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrClosed) {
			t.Errorf("the old target after Close: %v, want ErrClosed", err)
		}
	})
}
