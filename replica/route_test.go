package replica_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/replica"
)

// Reads spread over the replicas, round-robin by default; writes, locking reads, SQL text and
// everything in a block run on the primary. The port each statement reports says where it ran.
//
// Round-robin is exact only while both replicas are usable: on a loaded machine a health
// check that does not answer within its timeout (a second) takes a replica out, rightly, and
// the reads meanwhile all go to the other. So a pass of reads counts only if both replicas
// were usable throughout: Status says both were before and after it, and the set logged no
// replica taken out during it (takeOut flags a replica out before it logs, so one taken out
// at the pass's end shows in Status). A pass that does not count is read again, up to five
// times, and the counts of the one that counts must be exact.
func TestRoutingSpread(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e engineCase) {
		var outs atomic.Int64
		rs, set := newSet(t, e, 2, replica.Options{Logger: slog.New(outCounter{slog.NewTextHandler(testWriter{t}, nil), &outs})})
		ctx := t.Context()
		primaryPort := int64(rs.Primary.Port)
		const reads = 300
		var counts map[int64]int
		for pass := 1; ; pass++ {
			waitUsable(t, set, 0)
			waitUsable(t, set, 1)
			before := outs.Load()
			status := set.Status()
			counts = map[int64]int{}
			for i := range reads {
				port, err := conn.Scalar[int64](ctx, set.DB, e.portQuery())
				if err != nil {
					t.Fatalf("read %d: %v", i, err)
				}
				counts[port]++
			}
			after := set.Status()
			if outs.Load() == before && status[0].Usable && status[1].Usable && after[0].Usable && after[1].Usable {
				break
			}
			t.Logf("pass %d: a replica was out during the reads (%v), which went %v; reading again", pass, after, counts)
			if pass == 5 {
				t.Fatal("a replica was taken out during each of 5 passes of reads: round-robin was never measured")
			}
		}
		t.Logf("%d reads by server port: %v (primary %d, replicas %d, %d); %+v", reads, counts, primaryPort, rs.Replicas[0].Port, rs.Replicas[1].Port, set.Status())
		for _, r := range rs.Replicas {
			if counts[int64(r.Port)] != reads/2 {
				t.Errorf("replica %s ran %d reads; want %d (round-robin)", r.Name, counts[int64(r.Port)], reads/2)
			}
		}
		if counts[primaryPort] != 0 {
			t.Errorf("the primary ran %d reads", counts[primaryPort])
		}

		onPrimary := func(what string, stmt conn.Statement) {
			t.Helper()
			port, err := conn.Scalar[int64](ctx, set.DB, stmt)
			if err != nil || port != primaryPort {
				t.Errorf("%s ran on port %d (%v); want the primary, %d", what, port, err, primaryPort)
			}
		}
		onPrimary("SQL text", conn.SQL("SELECT "+e.port))
		if port, err := conn.Scalar[int64](replica.OnPrimary(ctx), set.DB, e.portQuery()); err != nil || port != primaryPort {
			t.Errorf("OnPrimary: port %d, %v; want the primary", port, err)
		}
		if port, err := conn.Scalar[int64](ctx, set.DB, conn.ReadOnly(conn.SQL("SELECT "+e.port))); err != nil || port == primaryPort {
			t.Errorf("conn.ReadOnly SQL text ran on port %d (%v); want a replica", port, err)
		}
		lock := builder.Select(items.ID).From(items).ForUpdate()
		if dst, _ := set.DB.Route(ctx, lock); dst != set.DB.Base() || dst == set.Replicas()[0] || dst == set.Replicas()[1] {
			t.Errorf("SELECT ... FOR UPDATE routed to %v; want the primary", dst)
		}
		// Writes: on the primary; a replica refuses them (read-only).
		for i := range 10 {
			if _, err := set.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(int64(i)), items.Name.Set("w"))); err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
		if _, err := set.Replicas()[0].Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(100), items.Name.Set("x"))); !errors.Is(err, conn.ErrReadOnly) || !errors.Is(err, conn.ErrOperational) {
			t.Errorf("a write on a replica: %v; want conn.ErrReadOnly", err)
		}
		// Inside a block everything is on the primary, reads too, and sees the block's writes.
		err := set.Atomic(ctx, func(ctx context.Context) error {
			if _, err := set.Exec(ctx, builder.InsertInto(items).Values(items.ID.Set(50), items.Name.Set("in block"))); err != nil {
				return err
			}
			n, err := conn.Scalar[int64](ctx, set.DB, builder.Select(expr.Count(items.ID)).From(items))
			if err != nil || n != 11 {
				t.Errorf("read in a block: %d, %v; want 11 rows, on the primary", n, err)
			}
			port, err := conn.Scalar[int64](ctx, set.DB, e.portQuery())
			if err != nil || port != primaryPort {
				t.Errorf("read in a block ran on %d (%v); want the primary", port, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = set.WithConn(ctx, func(ctx context.Context) error {
			port, err := conn.Scalar[int64](ctx, set.DB, e.portQuery())
			if err != nil || port != primaryPort {
				t.Errorf("read in WithConn ran on %d (%v); want the primary", port, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// outCounter counts the set's "replica: out" records (a replica taken out of reads) and
// passes every record on.
type outCounter struct {
	slog.Handler
	n *atomic.Int64
}

func (h outCounter) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "replica: out" {
		h.n.Add(1)
	}
	return h.Handler.Handle(ctx, r)
}

func (h outCounter) WithAttrs(as []slog.Attr) slog.Handler {
	return outCounter{h.Handler.WithAttrs(as), h.n}
}

func (h outCounter) WithGroup(name string) slog.Handler {
	return outCounter{h.Handler.WithGroup(name), h.n}
}
