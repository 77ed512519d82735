package replica_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/replica"
	"github.com/typedsql/typedsql/testcontainers"
)

// failoverSet is a PostgreSQL set whose primary DB lists the primary and the first standby
// with target_session_attrs=read-write, as a production URL lists every host.
func failoverSet(t *testing.T) (*testcontainers.ReplicaSet, *replica.Set, *countWarn) {
	t.Helper()
	rs := testcontainers.PostgresReplicas(t, 2)
	ctx := t.Context()
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d,127.0.0.1:%d/test?sslmode=disable&target_session_attrs=read-write&connect_timeout=2s",
		rs.Primary.Port, rs.Replicas[0].Port)
	primary := open(t, url)
	warns := &countWarn{}
	if _, err := primary.Exec(ctx, conn.SQL("CREATE TABLE items (id bigint PRIMARY KEY, name varchar(40) NOT NULL)")); err != nil {
		t.Fatal(err)
	}
	if err := rs.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	set, err := replica.New(primary, []*conn.DB{open(t, rs.Replicas[0].URL), open(t, rs.Replicas[1].URL)},
		replica.Options{HealthInterval: 50 * time.Millisecond, Logger: slog.New(warns)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	return rs, set, warns
}

// countWarn counts the warnings a set logs (a write the primary refused as read-only).
type countWarn struct{ n atomic.Int64 }

func (c *countWarn) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (c *countWarn) Handle(context.Context, slog.Record) error    { c.n.Add(1); return nil }
func (c *countWarn) WithAttrs([]slog.Attr) slog.Handler           { return c }
func (c *countWarn) WithGroup(string) slog.Handler                { return c }

// load runs 4 writers and 2 readers on the set until stop is closed; it records every id
// whose INSERT was acknowledged, and the failures with their times.
type load struct {
	gate      sync.RWMutex // writers hold it for reading: Lock pauses them
	mu        sync.Mutex
	acked     []int64
	lastAck   time.Time
	failedW   []time.Time
	firstErr  error
	readErrs  atomic.Int64
	readsDone atomic.Int64
}

func (l *load) run(set *replica.Set, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	var next atomic.Int64
	ctx := context.Background()
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				l.gate.RLock()
				id := next.Add(1)
				_, err := set.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(id), items.Name.Set("w")))
				l.gate.RUnlock()
				l.mu.Lock()
				if err == nil {
					l.acked = append(l.acked, id)
					l.lastAck = time.Now()
				} else {
					l.failedW = append(l.failedW, time.Now())
					if l.firstErr == nil {
						l.firstErr = err
					}
				}
				l.mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := conn.Scalar[int64](ctx, set.DB, builder.Select(exprCount()).From(items)); err != nil {
					l.readErrs.Add(1)
				}
				l.readsDone.Add(1)
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	return &wg
}

func (l *load) snapshot() (acked int, failed int, last time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked), len(l.failedW), l.lastAck
}

// every acknowledged id must be on the new primary.
func checkNothingLost(t *testing.T, l *load, newPrimaryURL string) {
	t.Helper()
	db := open(t, newPrimaryURL)
	defer db.Close()
	ids, err := conn.All[int64](t.Context(), db, builder.Select(items.ID).From(items))
	if err != nil {
		t.Fatal(err)
	}
	have := make(map[int64]bool, len(ids))
	for _, id := range ids {
		have[id] = true
	}
	lost := 0
	l.mu.Lock()
	for _, id := range l.acked {
		if !have[id] {
			lost++
		}
	}
	n := len(l.acked)
	l.mu.Unlock()
	t.Logf("%d acknowledged writes, %d rows on the new primary, %d acknowledged and lost", n, len(ids), lost)
	if lost != 0 {
		t.Errorf("%d acknowledged writes are not on the new primary", lost)
	}
}

// The primary stops mid-load and a standby is promoted: writes resume on it through the
// multi-host URL, and nothing acknowledged is lost.
func TestFailoverStopAndPromote(t *testing.T) {
	rs, set, _ := failoverSet(t)
	ctx := t.Context()
	l := &load{}
	stop := make(chan struct{})
	wg := l.run(set, stop)
	time.Sleep(2 * time.Second)
	beforeAcked, _, _ := l.snapshot()
	stoppedAt := time.Now()
	if err := rs.Primary.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rs.Replicas[0].Promote(ctx); err != nil {
		t.Fatal(err)
	}
	promotedAt := time.Now()
	var resumedAt time.Time
	waitFor(t, "a write acknowledged after the promotion", func() bool {
		_, _, last := l.snapshot()
		if last.After(promotedAt) {
			resumedAt = last
			return true
		}
		return false
	})
	_, failedAtResume, _ := l.snapshot()
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	acked, failed, _ := l.snapshot()
	t.Logf("before the stop: %d acknowledged; stop+promote took %v; first write on the new primary %v after the promotion; %d writes failed in the gap (first: %v), %d after writes resumed; %d acknowledged in all; reads %d, %d failed",
		beforeAcked, promotedAt.Sub(stoppedAt).Round(time.Millisecond), resumedAt.Sub(promotedAt).Round(time.Millisecond),
		failedAtResume, l.firstErr, failed-failedAtResume, acked, l.readsDone.Load(), l.readErrs.Load())
	if acked <= beforeAcked {
		t.Error("no write was acknowledged after the failover")
	}
	if failed-failedAtResume > 4 { // the writers in flight when writes resumed
		t.Errorf("%d writes failed after writes had resumed on the new primary", failed-failedAtResume)
	}
	checkNothingLost(t, l, rs.Replicas[0].URL)
}

// The old primary turns read-only (demoted) and a standby is promoted while the pool still
// holds connections to the old one: the first write on each fails with 25006, which is
// conn.ErrReadOnly; the pool's connections are closed and the write runs once more, and the
// multi-host URL finds the new primary: not one write fails, and nothing is lost. (Writers
// pause for the switch, as a planned switchover does, so no write lands on the old primary
// after the standby stopped following it.)
func TestFailoverPrimaryTurnedReadOnly(t *testing.T) {
	rs, set, warns := failoverSet(t)
	ctx := t.Context()
	l := &load{}
	stop := make(chan struct{})
	wg := l.run(set, stop)
	time.Sleep(time.Second)
	l.gate.Lock()
	if err := rs.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	old := open(t, rs.Primary.URL)
	defer old.Close()
	for _, s := range []string{"ALTER SYSTEM SET default_transaction_read_only = on", "SELECT pg_reload_conf()"} {
		if _, err := old.Exec(ctx, conn.SQL(s)); err != nil {
			t.Fatal(err)
		}
	}
	// The reload is asynchronous: wait until a session on the old primary is read-only.
	waitFor(t, "the old primary to be read-only", func() bool {
		ro, err := conn.Scalar[string](ctx, old, conn.SQL("SHOW default_transaction_read_only"))
		return err == nil && ro == "on"
	})
	if err := rs.Replicas[0].Promote(ctx); err != nil {
		t.Fatal(err)
	}
	before, _, _ := l.snapshot()
	turnedAt := time.Now()
	l.gate.Unlock()
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	acked, failed, last := l.snapshot()
	t.Logf("%d writes acknowledged before the switch, %d after; %d met the read-only server and ran once more; %d writes failed (first: %v); last ack %v after the switch",
		before, acked-before, warns.n.Load(), failed, l.firstErr, last.Sub(turnedAt).Round(time.Millisecond))
	if warns.n.Load() == 0 {
		t.Error("no write met the read-only server: the test did not exercise conn.ErrReadOnly")
	}
	if failed != 0 {
		t.Errorf("%d writes failed; want each that met the read-only server run once more on the new primary", failed)
	}
	if acked <= before {
		t.Error("no write acknowledged after the switch")
	}
	// Inside a block nothing is retried: the error is conn.ErrReadOnly as it is.
	err := old.Atomic(ctx, func(ctx context.Context) error {
		_, err := old.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(-1), items.Name.Set("block")))
		return err
	})
	if !errors.Is(err, conn.ErrReadOnly) {
		t.Errorf("a write in a block on the read-only server: %v; want conn.ErrReadOnly", err)
	}
	checkNothingLost(t, l, rs.Replicas[0].URL)
}

// MariaDB has no multi-host URL: after the primary stops and a replica is promoted, the set
// finds the replica that takes writes (@@read_only OFF) and writes go there. Writers pause
// while the primary stops (a switchover: without semi-synchronous replication a crash may
// lose what the replicas had not received), and readers go on throughout.
func TestFailoverMariaDBRediscovery(t *testing.T) {
	rs, set := newSet(t, engines[1], 2, replica.Options{})
	ctx := t.Context()
	l := &load{}
	stop := make(chan struct{})
	wg := l.run(set, stop)
	time.Sleep(time.Second)
	l.gate.Lock()
	if err := rs.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rs.Primary.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rs.Replicas[0].Promote(ctx); err != nil {
		t.Fatal(err)
	}
	before, _, _ := l.snapshot()
	promotedAt := time.Now()
	l.gate.Unlock()
	var resumedAt time.Time
	waitFor(t, "a write acknowledged after the promotion", func() bool {
		_, _, last := l.snapshot()
		if last.After(promotedAt) {
			resumedAt = last
			return true
		}
		return false
	})
	_, failedAtResume, _ := l.snapshot()
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	acked, failed, _ := l.snapshot()
	t.Logf("%d acknowledged before the switch; first write on the new primary %v after the promotion; %d writes failed before (first: %v), %d after; %d acknowledged in all; reads %d, %d failed; primary now %v",
		before, resumedAt.Sub(promotedAt).Round(time.Millisecond), failedAtResume, l.firstErr, failed-failedAtResume, acked,
		l.readsDone.Load(), l.readErrs.Load(), set.Primary())
	if set.Primary() != set.Replicas()[0] {
		t.Errorf("writes go to %v; want the promoted replica", set.Primary())
	}
	if failed-failedAtResume > 4 {
		t.Errorf("%d writes failed after writes had resumed", failed-failedAtResume)
	}
	checkNothingLost(t, l, rs.Replicas[0].URL)
}
