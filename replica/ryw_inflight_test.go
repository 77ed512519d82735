package replica_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/replica"
	"github.com/typedsql/typedsql/testcontainers"
)

// A tracked context used by two goroutines at once (an errgroup in a request handler): a read
// resolves the primary's position while a write made with the same context is still running,
// before it lands. The write must not count as covered by that position: a read made after
// the write returned must see it. Each write below is held in flight by a gate, a read on the
// context resolves the position meanwhile (and is read until a replica covers it), the
// replica's replay stops, the gate opens and the write lands on the primary only. The read
// made after the write returned must then not go to the replica, which lacks the write.
// Nothing depends on timing: the gates are a row lock the test holds (a statement) and the
// block's own goroutine (a block), and every wait is for a condition. Before conn told a
// router when a statement finished (conn.Finisher), the last read of every case below went to
// the replica and missed the write, on both engines.
func TestReadYourWritesInFlight(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e engineCase) {
		// No wait for a replica: a read goes to one that has replayed the position, or to the
		// primary at once.
		rs, set := newSet(t, e, 1, replica.Options{ReadYourWritesWait: -1})
		g := newRowGate(t, e, rs)
		// A block's write lands at its COMMIT, after the statement has returned.
		atomicWrite := func(ctx context.Context, id int64, inFlight, release chan struct{}) error {
			return set.Atomic(ctx, func(ctx context.Context) error {
				if _, err := set.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(id), items.Name.Set("w"))); err != nil {
					return err
				}
				close(inFlight)
				<-release
				return nil
			})
		}
		cases := []struct {
			name  string
			track func(context.Context) context.Context
			// write makes the write with id, made with ctx; it closes inFlight once the write
			// has gone to the primary and cannot land until release is closed.
			write func(ctx context.Context, id int64, inFlight, release chan struct{}) error
		}{
			{"Exec", replica.Track, func(ctx context.Context, id int64, inFlight, release chan struct{}) error {
				return g.hold(id, inFlight, release, func() error {
					_, err := set.Exec(ctx, conn.SQL(e.gatedInsert(id, "")))
					return err
				})
			}},
			{"INSERT RETURNING", replica.Track, func(ctx context.Context, id int64, inFlight, release chan struct{}) error {
				// A query that writes: done when its rows are read to the end.
				return g.hold(id, inFlight, release, func() error {
					got, err := conn.Scalar[int64](ctx, set.DB, conn.SQL(e.gatedInsert(id, " RETURNING id")))
					if err == nil && got != id {
						err = fmt.Errorf("RETURNING gave %d", got)
					}
					return err
				})
			}},
			{"Atomic", replica.Track, atomicWrite},
			{"Atomic, TrackTables", replica.TrackTables, atomicWrite},
		}
		ctx := t.Context()
		replicaPort := int64(rs.Replicas[0].Port)
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				id := int64(i + 1)
				tctx := c.track(ctx)
				inFlight, release := make(chan struct{}), make(chan struct{})
				var once sync.Once
				open := func() { once.Do(func() { close(release) }) }
				t.Cleanup(open) // a failed test must not leave the write blocked
				done := make(chan error, 1)
				go func() { done <- c.write(tctx, id, inFlight, release) }()
				select {
				case <-inFlight:
				case err := <-done:
					t.Fatalf("the write ended before it was in flight: %v", err)
				}
				// The read on the other goroutine: it resolves the position while the write is
				// in flight. Read until the set knows the replica has replayed that position.
				waitFor(t, "a read made while the write runs to go to the replica", func() bool {
					port, err := conn.Scalar[int64](tctx, set.DB, e.portQuery())
					if err != nil {
						t.Fatalf("the read made while the write runs: %v", err)
					}
					if port != replicaPort {
						g.flushWAL()
					}
					return port == replicaPort
				})
				// From here the replica lacks the write; the next case needs it back.
				lagOnPurpose(t, e, set, rs, 0)
				t.Cleanup(func() { resumeReplay(t, ctx, e, set, rs, 0) })
				open()
				if err := <-done; err != nil {
					t.Fatalf("the write: %v", err)
				}
				waitUsable(t, set, 0) // so that a replica is there to be wrongly chosen
				r, err := conn.One[readBack](tctx, set.DB, builder.Select(items.Name, expr.Raw[int64](e.port).As("port")).From(items).Where(items.ID.Eq(id)))
				if errors.Is(err, conn.ErrNoRows) {
					t.Fatal("a read made after the write returned missed it: a position resolved while the write ran was taken to cover it")
				}
				if err != nil {
					t.Fatal(err)
				}
				if r.Port == replicaPort {
					t.Errorf("the read ran on the replica, which has not replayed the write, and found it: %+v", r)
				}
			})
		}
	})
}

// rowGate holds a write in flight on the primary: the test's own transaction inserts the
// write's key first, so the write waits for that row's lock until the transaction rolls back.
type rowGate struct {
	e     engineCase
	db    *conn.DB // the gate's connections, as the set's user
	admin *conn.DB // sees every session's lock waits
}

func newRowGate(t *testing.T, e engineCase, rs *testcontainers.ReplicaSet) *rowGate {
	g := &rowGate{e: e, db: open(t, rs.Primary.URL), admin: open(t, rs.Primary.URL)}
	if e.name == "mariadb" {
		g.admin = open(t, "mariadb://root@127.0.0.1:"+itoa(rs.Primary.Port)+"/test")
	}
	t.Cleanup(func() { g.db.Close(); g.admin.Close() })
	return g
}

// hold runs write (e.gatedInsert of id) with the gate closed on id: it closes inFlight once
// the write has reached the server (so it was routed, and it cannot land while the gate's
// transaction holds the key), and opens the gate when release is closed. It returns write's
// error.
func (g *rowGate) hold(id int64, inFlight, release chan struct{}, write func() error) error {
	ctx := context.Background()
	s, sctx, err := g.db.Session(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := g.db.Exec(sctx, builder.InsertInto(items).Values(items.ID.Set(id), items.Name.Set("gate"))); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- write() }()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		n, err := conn.Scalar[int64](ctx, g.admin, conn.SQL(g.e.running(id)))
		if err != nil {
			return err
		}
		if n > 0 {
			break
		}
		select {
		case err := <-done:
			return fmt.Errorf("the write ended while the gate held its key: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			return errors.New("the write never reached the server")
		}
	}
	close(inFlight)
	<-release
	if err := s.Rollback(ctx); err != nil {
		return err
	}
	return <-done
}

// flushWAL has PostgreSQL's primary write its WAL out to the position a read resolved, which
// is the insert position: with no commit meanwhile (the gate's transaction and the write are
// open) it may stay in the WAL buffers, unsent to the replica, until a checkpoint or the
// background writer's next snapshot (15 s). A transaction that takes an id commits, and the
// commit flushes the WAL up to it. MariaDB resolves to the GTID of the last commit, sent.
func (g *rowGate) flushWAL() {
	if g.e.name == "postgres" {
		g.admin.Exec(context.Background(), conn.SQL("SELECT pg_current_xact_id()"))
	}
}

// gatedInsert is SQL text inserting id that waits for a row lock as long as the test needs:
// PostgreSQL has no lock timeout unless set; MariaDB's innodb_lock_wait_timeout (50 s) is
// raised for the statement.
func (e engineCase) gatedInsert(id int64, returning string) string {
	ins := fmt.Sprintf("INSERT INTO items (id, name) VALUES (%d, 'w')%s", id, returning)
	if e.name == "mariadb" {
		return "SET STATEMENT innodb_lock_wait_timeout = 3600 FOR " + ins
	}
	return ins
}

// running is SQL counting the sessions running gatedInsert(id, ...) on the primary. (Its own
// text does not match: the pattern is anchored at the start.) MariaDB's innodb_trx, which
// shows lock waits, missed some that the process list showed.
func (e engineCase) running(id int64) string {
	pattern := "'" + strings.ReplaceAll(e.gatedInsert(id, ""), "'", "''") + "%'"
	if e.name == "mariadb" {
		return "SELECT count(*) FROM information_schema.processlist WHERE info LIKE " + pattern
	}
	return "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE " + pattern
}

// resumeReplay undoes lagOnPurpose and waits until replica i has everything and takes reads.
// ctx is the caller's, live in t's Cleanup (t's own is not).
func resumeReplay(t *testing.T, ctx context.Context, e engineCase, set *replica.Set, rs *testcontainers.ReplicaSet, i int) {
	t.Helper()
	n := rs.Replicas[i]
	if e.name == "postgres" {
		if err := n.ResumeReplay(ctx); err != nil {
			t.Fatal(err)
		}
	} else {
		root := open(t, "mariadb://root@127.0.0.1:"+itoa(n.Port)+"/test")
		defer root.Close()
		for _, s := range []string{"STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 0", "START SLAVE"} {
			if _, err := root.Exec(ctx, conn.SQL(s)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := rs.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	waitUsable(t, set, i)
}
