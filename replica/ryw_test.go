package replica_test

import (
	"context"
	"errors"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/replica"
	"github.com/typedsql/typedsql/testcontainers"
)

// lagOnPurpose makes replica i of set serve stale reads while it stays a usable replica:
// PostgreSQL's replay paused; MariaDB's replication delayed by MASTER_DELAY (a paused SQL
// thread would be taken out: its Seconds_Behind_Master is NULL). The delay is an hour, not
// seconds: a test slowed down by a loaded machine must not outlive it, or the standby would
// catch up on the test's first writes. It returns once the health checks count the standby
// usable again: restarting MariaDB's replication shows a NULL Seconds_Behind_Master for a
// moment, which takes the standby out, and a test that reads before it is back proves nothing
// about it.
func lagOnPurpose(t *testing.T, e engineCase, set *replica.Set, rs *testcontainers.ReplicaSet, i int) {
	t.Helper()
	ctx := t.Context()
	n := rs.Replicas[i]
	if e.name == "postgres" {
		if err := n.PauseReplay(ctx); err != nil {
			t.Fatal(err)
		}
	} else {
		root := open(t, "mariadb://root@127.0.0.1:"+itoa(n.Port)+"/test")
		defer root.Close()
		for _, s := range []string{"STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 3600", "START SLAVE"} {
			if _, err := root.Exec(ctx, conn.SQL(s)); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitUsable(t, set, i)
}

// waitUsable waits until the set counts replica i usable. On a loaded machine a health check
// that does not answer within its timeout takes a replica out until it passes Rise checks in a
// row: the set is right to send it no reads then, and a test about where reads go must wait.
func waitUsable(t *testing.T, set *replica.Set, i int) {
	t.Helper()
	waitFor(t, "replica "+itoa(i+1)+" to be usable", func() bool { return set.Status()[i].Usable })
}

type readBack struct {
	Name string `db:"name"`
	Port int64  `db:"port"`
}

// 1,000 write-then-read pairs with one standby lagging on purpose: without read-your-writes
// reads miss their own writes; with Track not one does, and the reads still go to a replica.
func TestReadYourWrites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e engineCase) {
		rs, set := newSet(t, e, 2, replica.Options{})
		ctx := t.Context()
		lagOnPurpose(t, e, set, rs, 1)
		readOf := func(id int64) *builder.SelectStmt {
			return builder.Select(items.Name, expr.Raw[int64](e.port).As("port")).From(items).Where(items.ID.Eq(id))
		}
		pair := func(ctx context.Context, id int64) (stale bool, port int64) {
			t.Helper()
			if _, err := set.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(id), items.Name.Set("mine"))); err != nil {
				t.Fatalf("write %d: %v", id, err)
			}
			r, err := conn.One[readBack](ctx, set.DB, readOf(id))
			if errors.Is(err, conn.ErrNoRows) {
				return true, 0
			}
			if err != nil {
				t.Fatalf("read %d: %v", id, err)
			}
			return false, r.Port
		}
		// Control: the same pairs untracked do read stale data, so the test can fail.
		staleUntracked := 0
		for id := int64(1); id <= 50; id++ {
			if stale, _ := pair(ctx, id); stale {
				staleUntracked++
			}
		}
		if staleUntracked == 0 {
			t.Fatal("50 untracked pairs read no stale row: the standby is not lagging, the test proves nothing")
		}
		stale, ports := 0, map[int64]int{}
		tctx := replica.Track(ctx)
		for id := int64(1001); id <= 2000; id++ {
			s, port := pair(tctx, id)
			if s {
				stale++
			}
			ports[port]++
		}
		t.Logf("untracked: %d/50 stale; tracked: %d/1000 stale, reads by port %v (primary %d, lagging %d)",
			staleUntracked, stale, ports, rs.Primary.Port, rs.Replicas[1].Port)
		if stale != 0 {
			t.Errorf("%d of 1,000 tracked reads missed their own write", stale)
		}
		if ports[int64(rs.Replicas[1].Port)] != 0 {
			t.Errorf("%d tracked reads ran on the lagging standby", ports[int64(rs.Replicas[1].Port)])
		}
		// The session crosses requests as a token (a cookie, a header).
		if _, err := set.Exec(tctx, builder.InsertInto(items).Values(items.ID.Set(5000), items.Name.Set("carried"))); err != nil {
			t.Fatal(err)
		}
		tok, err := set.Token(tctx)
		if err != nil || tok == "" {
			t.Fatalf("Token: %q, %v", tok, err)
		}
		later, err := set.Resume(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			if _, err := conn.One[readBack](later, set.DB, readOf(5000)); err != nil {
				t.Fatalf("a read resumed from token %q: %v", tok, err)
			}
		}
		if _, err := set.Resume(ctx, "pg:nonsense"); err == nil {
			t.Error("Resume took a token that does not parse")
		}
	})
}
