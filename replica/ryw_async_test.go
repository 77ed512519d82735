package replica_test

import (
	"errors"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/replica"
)

// With synchronous_commit = off a PostgreSQL commit returns before its WAL is written, so the
// primary's write location (pg_current_wal_lsn()) can be short of the commit: read-your-writes
// must take the insert location, which every committed record is behind, or a replica that
// has replayed up to the write location serves a read that misses the session's write (957 of
// 1,000 did). 100 pairs: a tracked read now often waits for the WAL writer (wal_writer_delay,
// 200 ms), and 1,000 took over 3 minutes.
func TestReadYourWritesAsyncCommit(t *testing.T) {
	e := engines[0]
	rs, set := newSet(t, e, 1, replica.Options{})
	ctx := t.Context()
	for _, s := range []string{"ALTER SYSTEM SET synchronous_commit = off", "SELECT pg_reload_conf()"} {
		if _, err := set.Primary().Exec(ctx, conn.SQL(s)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "synchronous_commit to be off", func() bool {
		v, err := conn.Scalar[string](ctx, set.Primary(), conn.SQL("SHOW synchronous_commit"))
		return err == nil && v == "off"
	})
	tctx := replica.Track(ctx)
	stale, ports := 0, map[int64]int{}
	for id := int64(1); id <= 100; id++ {
		if _, err := set.Exec(tctx, builder.InsertInto(items).Values(items.ID.Set(id), items.Name.Set("async"))); err != nil {
			t.Fatalf("write %d: %v", id, err)
		}
		r, err := conn.One[readBack](tctx, set.DB, builder.Select(items.Name, expr.Raw[int64](e.port).As("port")).
			From(items).Where(items.ID.Eq(id)))
		if errors.Is(err, conn.ErrNoRows) {
			stale++
			continue
		}
		if err != nil {
			t.Fatalf("read %d: %v", id, err)
		}
		ports[r.Port]++
	}
	t.Logf("synchronous_commit off: %d/100 tracked reads stale; reads by port %v (primary %d, replica %d)",
		stale, ports, rs.Primary.Port, rs.Replicas[0].Port)
	if stale != 0 {
		t.Errorf("%d of 100 tracked reads missed their own write under synchronous_commit = off", stale)
	}
	if ports[int64(rs.Replicas[0].Port)] == 0 {
		t.Error("no tracked read ran on the replica: the test proves nothing")
	}
}
