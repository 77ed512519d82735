package conn_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// What a block of the stress test does after inserting its row.
type blockAct uint8

const (
	actOK     blockAct = iota // return nil
	actFail                   // return an error
	actPanic                  // panic (the inner block's panic is recovered by the outer one)
	actCancel                 // cancel the block's context, then return nil
	actSlow                   // run a slow statement past a 1ms deadline (inner block only)
)

// pickAct draws an action; weights are per hundred, in actOK..actSlow order.
func pickAct(r *rand.Rand, weights [5]int) blockAct {
	n := r.IntN(100)
	for a, w := range weights {
		if n < w {
			return blockAct(a)
		}
		n -= w
	}
	return actOK
}

// The stress test's size: 64 goroutines of 200 blocks each, on a pool of 8 connections.
// Measured on 2 cores: about 5s per engine; with -race, 5s on PostgreSQL and MySQL and 28s on
// SQLite (whose transpiled C is slow under the race detector).
const (
	stressGoroutines = 64
	stressBlocks     = 200
)

var (
	outerWeights = [5]int{55, 15, 15, 15, 0}
	innerWeights = [5]int{43, 20, 15, 20, 2}
	errPanicked  = errors.New("block panicked")
)

// slowSQL runs for much longer than a millisecond on each engine.
var slowSQL = map[testcontainers.Engine]string{
	testcontainers.EnginePostgres: "SELECT pg_sleep(0.05)",
	testcontainers.EngineMySQL:    "SELECT SLEEP(0.05)",
	testcontainers.EngineSQLite:   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c",
}

// TestAtomicConcurrency runs stressGoroutines goroutines, each running stressBlocks outer blocks
// with a nested block inside, on a pool of 8 connections. Each block succeeds, fails, panics
// or gets its context cancelled at random; a few nested blocks are cut off mid-statement by a
// deadline, which breaks the connection on PostgreSQL and MySQL. Afterwards the table must hold
// exactly the rows of the blocks whose Atomic call returned nil, every connection must be back
// in the pool, and no goroutine may be left once the DB is closed.
func TestAtomicConcurrency(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		leaks := goleak.IgnoreCurrent() // the harness's own handle stays open until cleanup
		ctx := t.Context()
		db, err := conn.Open(ctx, withParams(tdb.URL, "pool_max_conns=8"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		mustExec(t, db, "CREATE TABLE items (id BIGINT PRIMARY KEY, note VARCHAR(40))")
		e := &atomicEnv{t: t, db: db, engine: tdb.Engine}

		start := time.Now()
		want := make([][]int64, stressGoroutines)
		var wg sync.WaitGroup
		for g := range stressGoroutines {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(g), uint64(time.Now().UnixNano())))
				for i := range stressBlocks {
					want[g] = append(want[g], stressBlock(ctx, t, e, r, int64(g)*1_000_000+int64(i)*10)...)
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)

		waitIdle(t, db)
		var all []int64
		for _, w := range want {
			all = append(all, w...)
		}
		slices.Sort(all)
		got := e.ids()
		if !slices.Equal(got, all) {
			t.Errorf("%d rows in the table; the blocks that returned nil committed %d", len(got), len(all))
			reportDiff(t, got, all)
		}
		s := db.Stats()
		t.Logf("%s: %d blocks in %v; %d rows committed; pool %+v", tdb.Engine, stressGoroutines*stressBlocks, elapsed.Round(time.Millisecond), len(all), s)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		goleak.VerifyNone(t, leaks)
	})
}

// stressBlock runs one outer block (rows base+1 and base+3) around one nested block (row
// base+2) and returns the rows that must have committed, from what the Atomic calls returned.
// It also fails t when a block fails that had no reason to.
func stressBlock(ctx context.Context, t *testing.T, e *atomicEnv, r *rand.Rand, base int64) []int64 {
	outerAct, innerAct := pickAct(r, outerWeights), pickAct(r, innerWeights)
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	var outerErr, innerErr error
	func() {
		defer func() {
			if p := recover(); p != nil {
				if p != "outer" {
					panic(p)
				}
				outerErr = errPanicked
			}
		}()
		outerErr = e.db.Atomic(octx, func(ctx context.Context) error {
			if err := e.ins(ctx, base+1); err != nil {
				return err
			}
			innerErr = stressInner(ctx, e, innerAct, base)
			if err := e.ins(ctx, base+3); err != nil {
				return err
			}
			switch outerAct {
			case actFail:
				return errOuter
			case actPanic:
				panic("outer")
			case actCancel:
				cancel()
			}
			return nil
		})
	}()

	// A block whose only trouble was of its own making must have done exactly that.
	if innerAct != actSlow {
		wantInner := innerAct == actOK
		if (innerErr == nil) != wantInner {
			t.Errorf("block %d: inner %v returned %v", base, innerAct, innerErr)
		}
		if (outerErr == nil) != (outerAct == actOK) {
			t.Errorf("block %d: outer %v (inner %v) returned %v", base, outerAct, innerAct, outerErr)
		}
	}
	if outerErr != nil {
		return nil
	}
	if innerErr != nil {
		return []int64{base + 1, base + 3}
	}
	return []int64{base + 1, base + 2, base + 3}
}

func stressInner(ctx context.Context, e *atomicEnv, act blockAct, base int64) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p != "inner" {
				panic(p)
			}
			err = errPanicked
		}
	}()
	ictx, cancel := context.WithCancel(ctx)
	if act == actSlow {
		ictx, cancel = context.WithTimeout(ctx, time.Millisecond)
	}
	defer cancel()
	return e.db.Atomic(ictx, func(ctx context.Context) error {
		if err := e.ins(ctx, base+2); err != nil {
			return err
		}
		switch act {
		case actFail:
			return errInner
		case actPanic:
			panic("inner")
		case actCancel:
			cancel()
		case actSlow:
			if _, err := e.db.Exec(ctx, conn.SQL(slowSQL[e.engine])); err != nil {
				return err
			}
			return errors.New("the slow statement beat a 1ms deadline")
		}
		return nil
	})
}

// reportDiff logs the first rows that differ.
func reportDiff(t *testing.T, got, want []int64) {
	t.Helper()
	extra, missing := diffIDs(got, want), diffIDs(want, got)
	t.Errorf("rows that should not be there (%d): %v", len(extra), head(extra))
	t.Errorf("rows missing (%d): %v", len(missing), head(missing))
}

func diffIDs(a, b []int64) []int64 {
	var d []int64
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			d = append(d, x)
		}
	}
	return d
}

func head(ids []int64) string {
	if len(ids) > 10 {
		return fmt.Sprint(ids[:10], "...")
	}
	return fmt.Sprint(ids)
}

func (a blockAct) String() string {
	return [...]string{"ok", "fail", "panic", "cancel", "slow"}[a]
}
