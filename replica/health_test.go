package replica_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/replica"
)

// writeLoop inserts rows on the primary every few milliseconds until the test ends or stop
// is called, so that a paused replica falls behind.
func writeLoop(t *testing.T, set *replica.Set, from int64) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for id := from; ctx.Err() == nil; id++ {
			_, _ = set.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(id), items.Name.Set("tick")))
			time.Sleep(5 * time.Millisecond)
		}
	})
	stop = func() { cancel(); wg.Wait() }
	t.Cleanup(stop)
	return stop
}

func readPorts(t *testing.T, set *replica.Set, e engineCase, n int) map[int64]int {
	t.Helper()
	counts := map[int64]int{}
	for i := range n {
		port, err := conn.Scalar[int64](t.Context(), set.DB, e.portQuery())
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		counts[port]++
	}
	return counts
}

// A standby paused past MaxLag gets no reads until it has caught up; then it gets its share.
func TestMaxLagPausedStandby(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e engineCase) {
		rs, set := newSet(t, e, 2, replica.Options{MaxLag: 300 * time.Millisecond})
		ctx := t.Context()
		stopWrites := writeLoop(t, set, 1)
		lagging, other := rs.Replicas[1], rs.Replicas[0]
		if err := lagging.PauseReplay(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the paused standby to be taken out", func() bool { return !set.Status()[1].Usable })
		st := set.Status()[1]
		t.Logf("paused: %+v", st)
		counts := readPorts(t, set, e, 200)
		// All on the other standby, or, where a loaded machine put that one past MaxLag too for
		// a moment, on the primary (the fallback): never on the paused one.
		if counts[int64(lagging.Port)] != 0 || counts[int64(other.Port)] == 0 ||
			counts[int64(other.Port)]+counts[int64(rs.Primary.Port)] != 200 {
			t.Errorf("while %s lags: reads by port %v; want none on it (%d), all 200 on %s (%d) or the primary (%d)",
				lagging.Name, counts, lagging.Port, other.Name, other.Port, rs.Primary.Port)
		}
		if err := lagging.ResumeReplay(ctx); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		waitFor(t, "the standby to be back", func() bool { return set.Status()[1].Usable })
		t.Logf("back in %v after resume", time.Since(start).Round(time.Millisecond))
		// Its share, with the writes stopped: while they go on, a loaded machine puts either
		// standby past MaxLag (300 ms) for a few checks now and then, which is the set doing
		// its job, not the standby being kept out.
		stopWrites()
		if err := rs.WaitReplicated(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "both standbys to be usable", func() bool { return set.Status()[0].Usable && set.Status()[1].Usable })
		counts = readPorts(t, set, e, 200)
		if counts[int64(lagging.Port)] != 100 || counts[int64(other.Port)] != 100 {
			t.Errorf("after catching up: reads by port %v; want 100 on each standby", counts)
		}
	})
}

// A standby killed with SIGKILL in the middle of a 10 s read loop costs no read: the reads
// that were on it run once more on the other standby, and it is out until it answers again.
func TestCrashedStandbyNoFailedReads(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e engineCase) {
		rs, set := newSet(t, e, 2, replica.Options{})
		ctx := t.Context()
		crashed := rs.Replicas[1]
		const readers = 4
		var reads, failed atomic.Int64
		var mu sync.Mutex
		counts := map[int64]int{}
		stop := time.Now().Add(10 * time.Second)
		var wg sync.WaitGroup
		for range readers {
			wg.Go(func() {
				for time.Now().Before(stop) {
					port, err := conn.Scalar[int64](ctx, set.DB, e.portQuery())
					reads.Add(1)
					if err != nil {
						if failed.Add(1) <= 5 {
							t.Errorf("read failed: %v", err)
						}
						continue
					}
					mu.Lock()
					counts[port]++
					mu.Unlock()
					time.Sleep(time.Millisecond) // a read loop, not a CPU burner on a shared machine
				}
			})
		}
		time.Sleep(3 * time.Second)
		if err := crashed.Crash(ctx); err != nil {
			t.Fatal(err)
		}
		crashedAt := time.Now()
		wg.Wait()
		t.Logf("%d reads over 10 s by %d goroutines, %s crashed at 3 s: %d failed; by port %v (crashed %d); status %+v",
			reads.Load(), readers, crashed.Name, failed.Load(), counts, crashed.Port, set.Status())
		if failed.Load() != 0 {
			t.Errorf("%d reads failed", failed.Load())
		}
		if set.Status()[1].Usable {
			t.Errorf("the crashed standby is still usable %v after the crash", time.Since(crashedAt))
		}
		if err := crashed.Start(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the restarted standby to be back", func() bool { return set.Status()[1].Usable })
	})
}
