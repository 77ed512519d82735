package conn_test

import (
	"context"
	"testing"

	"github.com/typedsql/typedsql/conn"
)

// A routed view shares its base's deferred initialisation, and WithConn and Atomic on the view
// pin the base's connection: the router is asked, sees Pinned, and is overruled.
func TestRoutedViewSharesBase(t *testing.T) {
	ctx := t.Context()
	base := conn.Deferred()
	other := exampleDB(ctx)
	defer other.Close()
	var pinnedSeen []bool
	view := base.Routed(conn.RouterFunc(func(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
		pinnedSeen = append(pinnedSeen, db.Pinned(ctx))
		return other, nil
	}))
	if view.Initialized() || view.Base() != base || view.Routed(nil).Base() != base {
		t.Fatal("a view of a deferred DB: initialised, or its Base is not the DB")
	}
	if err := view.Init(ctx, "sqlite:///:memory:"); err != nil {
		t.Fatal(err)
	}
	defer base.Close()
	if !base.Initialized() {
		t.Fatal("Init on the view did not initialise the base")
	}
	mustExecAll(t, base, "CREATE TABLE users (id integer)")
	pinnedSeen = nil
	err := view.WithConn(ctx, func(ctx context.Context) error {
		if !view.Pinned(ctx) || !base.Pinned(ctx) || other.Pinned(ctx) {
			t.Error("Pinned: want the view and its base pinned, the other DB not")
		}
		// users exists only on the base: a statement that reached other would fail.
		_, err := conn.Scalar[int64](ctx, view, conn.ReadOnly(conn.SQL("SELECT count(*) FROM users")))
		return err
	})
	if err != nil || len(pinnedSeen) != 1 || !pinnedSeen[0] {
		t.Fatalf("WithConn on the view: %v, router saw pinned %v; want the base's connection", err, pinnedSeen)
	}
	if _, err := conn.Scalar[int64](ctx, view, conn.ReadOnly(conn.SQL("SELECT count(*) FROM users"))); err != nil {
		t.Fatalf("outside a block the router's choice stands: %v", err)
	}
}
