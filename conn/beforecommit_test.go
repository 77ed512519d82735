package conn_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type hookItemsTable struct {
	expr.Table
	ID   expr.Column[int64]  `db:"id"`
	Note expr.Column[string] `db:"note"`
}

type hookAuditTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id"`
	Tables expr.Column[string] `db:"tables"`
}

var (
	hookItems = expr.NewTable[hookItemsTable]("items")
	hookAudit = expr.NewTable[hookAuditTable]("audit")
)

var errVeto = errors.New("totals do not add up")

// newHookEnv is an atomicEnv with an audit table beside items.
func newHookEnv(t *testing.T, tdb *testcontainers.Database) *atomicEnv {
	e := newAtomicEnv(t, tdb, "pool_max_conns=2")
	mustExec(t, e.db, "CREATE TABLE audit (id BIGINT PRIMARY KEY, tables VARCHAR(200))")
	return e
}

// insItem inserts items row id through the builder, so that its table is known.
func (e *atomicEnv) insItem(ctx context.Context, id int64) {
	e.t.Helper()
	if _, err := e.db.Exec(ctx, builder.InsertInto(hookItems).Values(hookItems.ID.Set(id))); err != nil {
		e.t.Errorf("insert item %d: %v", id, err)
	}
}

// auditHook is a BeforeCommit hook that writes an audit row naming the tables written.
func (e *atomicEnv) auditHook(id int64) func(context.Context, []string) error {
	return func(ctx context.Context, tables []string) error {
		_, err := e.db.Exec(ctx, builder.InsertInto(hookAudit).Values(hookAudit.ID.Set(id), hookAudit.Tables.Set(strings.Join(tables, ","))))
		return err
	}
}

// audit returns the committed audit rows as "id:tables".
func (e *atomicEnv) audit() []string {
	e.t.Helper()
	rows, err := conn.All[struct {
		ID     int64  `db:"id"`
		Tables string `db:"tables"`
	}](e.t.Context(), e.db, builder.Select(hookAudit.ID, hookAudit.Tables).From(hookAudit).OrderBy(hookAudit.ID.Asc()))
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, strconv.FormatInt(r.ID, 10)+":"+r.Tables)
	}
	return out
}

// TestBeforeCommitWritesInTheTransaction: a BeforeCommit hook runs inside the transaction,
// after the block's function and before COMMIT; what it writes commits with the block, and it
// sees the tables the transaction's builder statements wrote (not SQL text's, not reads', not
// a rolled-back savepoint's).
func TestBeforeCommitWritesInTheTransaction(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newHookEnv(t, tdb)
		ctx := t.Context()
		var order []string
		err := e.db.Atomic(ctx, func(ctx context.Context) error {
			if err := conn.BeforeCommit(ctx, func(ctx context.Context, tables []string) error {
				order = append(order, "before")
				if !slices.Equal(tables, []string{"items"}) {
					t.Errorf("tables %q; want [items]", tables)
				}
				return e.auditHook(1)(ctx, tables)
			}); err != nil {
				t.Fatal(err)
			}
			conn.OnCommit(ctx, func(context.Context) { order = append(order, "commit") })
			e.must(ctx, 1) // SQL text: no tables
			if _, err := conn.All[int64](ctx, e.db, builder.Select(hookAudit.ID).From(hookAudit)); err != nil {
				t.Error(err) // a read: not a write
			}
			e.db.Atomic(ctx, func(ctx context.Context) error {
				_, err := e.db.Exec(ctx, builder.InsertInto(hookAudit).Values(hookAudit.ID.Set(9), hookAudit.Tables.Set("x")))
				if err != nil {
					t.Error(err)
				}
				return errInner // rolled back: audit is not written after all
			})
			e.insItem(ctx, 2)
			order = append(order, "fn returned")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"fn returned", "before", "commit"}; !slices.Equal(order, want) {
			t.Errorf("order %q; want %q", order, want)
		}
		if got := e.ids(); !equalIDs(got, 1, 2) {
			t.Errorf("items %v; want [1 2]", got)
		}
		if got := e.audit(); !slices.Equal(got, []string{"1:items"}) {
			t.Errorf("audit %q; want [1:items]", got)
		}
		e.checkPool(t)
	})
}

// TestBeforeCommitVeto: a hook's error rolls the block back, the remaining hooks do not run,
// the OnRollback hooks do, and the block returns an error matching ErrCommitVetoed that wraps
// the hook's. A hook that wrote before vetoing loses its writes too.
func TestBeforeCommitVeto(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newHookEnv(t, tdb)
		ctx := t.Context()
		ranLater := false
		err := e.db.Atomic(ctx, func(ctx context.Context) error {
			e.hooks(ctx, "a")
			e.insItem(ctx, 1)
			conn.BeforeCommit(ctx, func(ctx context.Context, tables []string) error {
				if err := e.auditHook(1)(ctx, tables); err != nil {
					return err
				}
				return errVeto
			})
			conn.BeforeCommit(ctx, func(context.Context, []string) error { ranLater = true; return nil })
			return nil
		})
		if !errors.Is(err, conn.ErrCommitVetoed) || !errors.Is(err, errVeto) {
			t.Errorf("Atomic: %v; want ErrCommitVetoed wrapping the hook's error", err)
		}
		if ranLater {
			t.Error("a hook after the veto ran")
		}
		if got := e.ids(); len(got) != 0 {
			t.Errorf("items %v after a veto; want none", got)
		}
		if got := e.audit(); len(got) != 0 {
			t.Errorf("audit %q after a veto; want none", got)
		}
		if got := e.takeLog(); !slices.Equal(got, []string{"rollback:a"}) {
			t.Errorf("hooks %q; want [rollback:a]", got)
		}
		e.checkPool(t)
	})
}

// TestBeforeCommitNesting: a hook registered in a nested block moves to the transaction when
// the block is released and is dropped when it rolls back; a hook may register another, which
// runs after it; no hook runs when the block fails; Block.Commit runs them before its COMMIT.
func TestBeforeCommitNesting(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newHookEnv(t, tdb)
		ctx := t.Context()
		var ran []string
		note := func(name string) func(context.Context, []string) error {
			return func(context.Context, []string) error { ran = append(ran, name); return nil }
		}
		err := e.db.Atomic(ctx, func(ctx context.Context) error {
			conn.BeforeCommit(ctx, func(ctx context.Context, _ []string) error {
				ran = append(ran, "outer")
				return conn.BeforeCommit(ctx, note("registered by a hook"))
			})
			e.db.Atomic(ctx, func(ctx context.Context) error {
				conn.BeforeCommit(ctx, note("released"))
				return nil
			})
			e.db.Atomic(ctx, func(ctx context.Context) error {
				conn.BeforeCommit(ctx, note("rolled back"))
				return errInner
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"outer", "released", "registered by a hook"}; !slices.Equal(ran, want) {
			t.Errorf("hooks ran %q; want %q", ran, want)
		}

		ran = nil
		err = e.db.Atomic(ctx, func(ctx context.Context) error {
			conn.BeforeCommit(ctx, note("failed block"))
			return errOuter
		})
		if !errors.Is(err, errOuter) || len(ran) != 0 {
			t.Errorf("failed block: %v, hooks %q; want errOuter and none", err, ran)
		}

		ran = nil
		err = e.db.Atomic(ctx, func(ctx context.Context) error {
			blk, _ := e.db.Block(ctx)
			e.insItem(ctx, 1)
			blk.BeforeCommit(e.auditHook(1))
			if err := blk.Commit(ctx); err != nil { // audit 1, COMMIT, BEGIN
				t.Errorf("Block.Commit: %v", err)
			}
			e.insItem(ctx, 2)
			blk.BeforeCommit(func(context.Context, []string) error { return errVeto })
			if err := blk.Commit(ctx); !errors.Is(err, errVeto) { // ROLLBACK, BEGIN
				t.Errorf("vetoed Block.Commit: %v; want errVeto", err)
			}
			e.insItem(ctx, 3)
			blk.BeforeCommit(e.auditHook(3)) // sees only the new transaction's table writes
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.ids(); !equalIDs(got, 1, 3) {
			t.Errorf("items %v; want [1 3]", got)
		}
		if got := e.audit(); !slices.Equal(got, []string{"1:items", "3:items"}) {
			t.Errorf("audit %q; want [1:items 3:items]", got)
		}
		e.checkPool(t)
	})
}

// TestBeforeCommitManyWrites: a transaction of more writes than the log keeps statements for
// still lists each table once, in the order first written.
func TestBeforeCommitManyWrites(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newHookEnv(t, tdb)
		ctx := t.Context()
		var got []string
		err := e.db.Atomic(ctx, func(ctx context.Context) error {
			conn.BeforeCommit(ctx, func(_ context.Context, tables []string) error { got = tables; return nil })
			for i := range int64(20) {
				e.insItem(ctx, i)
				if i == 12 {
					if _, err := e.db.Exec(ctx, builder.Update(hookAudit).Set(hookAudit.Tables.Set("y")).Where(hookAudit.ID.Eq(0))); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"items", "audit"}; !slices.Equal(got, want) {
			t.Errorf("tables %q; want %q", got, want)
		}
	})
}
