package replica_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/replica"
)

type othersTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

var others = expr.NewTable[othersTable]("others")

type otherRow struct {
	ID   int64 `db:"id"`
	Port int64 `db:"port"`
}

// Per-table stickiness: after writing items, reads of items avoid the lagging standby and see
// the write, while reads of a table the session did not write still use every replica; a write
// that names no tables makes every table sticky; the token carries the tables across requests.
func TestReadYourWritesPerTable(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e engineCase) {
		rs, set := newSet(t, e, 2, replica.Options{})
		ctx := t.Context()
		for _, s := range []string{"CREATE TABLE others (id bigint PRIMARY KEY)", "INSERT INTO others (id) VALUES (1)"} {
			if _, err := set.Primary().Exec(ctx, conn.SQL(s)); err != nil {
				t.Fatal(err)
			}
		}
		if err := rs.WaitReplicated(ctx); err != nil {
			t.Fatal(err)
		}
		lagOnPurpose(t, e, set, rs, 1)
		lagging := int64(rs.Replicas[1].Port)

		readOthers := func(ctx context.Context) (onLagging int) {
			t.Helper()
			for range 40 {
				r, err := conn.One[otherRow](ctx, set.DB, builder.Select(others.ID, expr.Raw[int64](e.port).As("port")).From(others))
				if err != nil {
					t.Fatalf("read of others: %v", err)
				}
				if r.Port == lagging {
					onLagging++
				}
			}
			return onLagging
		}
		// someOnLagging reports whether reads of others reach the lagging standby: rounds of
		// readOthers, each once the set counts the standby usable, until one does or 10 s pass.
		// One round is not enough on a loaded machine: a health check that times out takes the
		// standby out for a few checks, and reads rightly avoid it. A session that holds reads
		// of others to caught-up replicas sends none there in any round, as the standby never
		// replays the session's writes (replay paused, or delayed by an hour).
		someOnLagging := func(ctx context.Context) bool {
			t.Helper()
			deadline := time.Now().Add(10 * time.Second)
			for rounds := 1; ; rounds++ {
				waitUsable(t, set, 1)
				if readOthers(ctx) > 0 {
					if rounds > 1 {
						t.Logf("reads of others reached the lagging standby in round %d", rounds)
					}
					return true
				}
				if time.Now().After(deadline) {
					t.Logf("%d rounds of 40 reads of others, none on the lagging standby; set: %+v", rounds, set.Status())
					return false
				}
			}
		}
		readItems := func(ctx context.Context, id int64) (stale bool, port int64) {
			t.Helper()
			r, err := conn.One[readBack](ctx, set.DB, builder.Select(items.Name, expr.Raw[int64](e.port).As("port")).
				From(items).Where(items.ID.Eq(id)))
			if errors.Is(err, conn.ErrNoRows) {
				return true, 0
			}
			if err != nil {
				t.Fatalf("read of items %d: %v", id, err)
			}
			return false, r.Port
		}
		write := func(ctx context.Context, id int64) {
			t.Helper()
			if _, err := set.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(id), items.Name.Set("mine"))); err != nil {
				t.Fatalf("write %d: %v", id, err)
			}
		}

		// Control: a whole-session Track keeps reads of others off the lagging standby too.
		whole := replica.Track(ctx)
		write(whole, 1)
		waitUsable(t, set, 1) // else no read could go there, and the control proves nothing
		if n := readOthers(whole); n != 0 {
			t.Fatalf("Track: %d of 40 reads of others ran on the lagging standby", n)
		}

		tctx := replica.TrackTables(ctx)
		stale := 0
		for id := int64(100); id < 300; id++ {
			write(tctx, id)
			s, port := readItems(tctx, id)
			if s {
				stale++
			}
			if port == lagging {
				t.Fatalf("a read of items just written ran on the lagging standby")
			}
		}
		if stale != 0 {
			t.Errorf("%d of 200 per-table reads of items missed their own write", stale)
		}
		if !someOnLagging(tctx) {
			t.Error("TrackTables: no read of others (not written) ran on the lagging standby: the stickiness is not per table")
		}

		tok, err := set.Token(tctx)
		if err != nil || !strings.HasPrefix(tok, "tables:") {
			t.Fatalf("Token of a per-table session: %q, %v", tok, err)
		}
		later, err := set.Resume(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		if s, port := readItems(later, 299); s || port == lagging {
			t.Errorf("a resumed per-table session read items stale=%v on port %d (lagging %d)", s, port, lagging)
		}
		if !someOnLagging(later) {
			t.Error("a resumed per-table session keeps reads of others off the lagging standby")
		}

		// SQL text names no tables: after it, every table is sticky.
		if _, err := set.Exec(later, conn.SQL("UPDATE others SET id = 2 WHERE id = 1")); err != nil {
			t.Fatal(err)
		}
		waitUsable(t, set, 1)
		if n := readOthers(later); n != 0 {
			t.Errorf("after a write of SQL text, %d of 40 reads of others ran on the lagging standby", n)
		}
	})
}
