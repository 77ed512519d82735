package conn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

const (
	pg     = testcontainers.EnginePostgres
	mysql  = testcontainers.EngineMySQL
	sqlite = testcontainers.EngineSQLite
)

// optionCases: which engines accept which transaction options. An engine missing from ok
// rejects the options with ErrUnsupported, unless invalid names it for ErrInvalidOption.
var optionCases = []struct {
	name    string
	opts    []txn.Option
	ok      []testcontainers.Engine
	invalid []testcontainers.Engine
	// pgLevel is what SHOW transaction_isolation says inside the block on PostgreSQL.
	pgLevel string
	// readOnly: the block only reads.
	readOnly bool
}{
	{name: "no options", ok: []testcontainers.Engine{pg, mysql, sqlite}, pgLevel: "read committed"},
	{name: "read uncommitted", opts: []txn.Option{txn.ReadUncommitted}, ok: []testcontainers.Engine{pg, mysql}, pgLevel: "read uncommitted"},
	{name: "read committed", opts: []txn.Option{txn.ReadCommitted}, ok: []testcontainers.Engine{pg, mysql}, pgLevel: "read committed"},
	{name: "repeatable read", opts: []txn.Option{txn.RepeatableRead}, ok: []testcontainers.Engine{pg, mysql}, pgLevel: "repeatable read"},
	{name: "serializable", opts: []txn.Option{txn.Serializable}, ok: []testcontainers.Engine{pg, mysql}, pgLevel: "serializable"},
	{name: "read write", opts: []txn.Option{txn.ReadWrite}, ok: []testcontainers.Engine{pg, mysql}, pgLevel: "read committed"},
	{name: "serializable read only deferrable", opts: []txn.Option{txn.Serializable, txn.ReadOnly, txn.Deferrable}, ok: []testcontainers.Engine{pg}, pgLevel: "serializable", readOnly: true},
	{name: "deferrable alone", opts: []txn.Option{txn.Deferrable}, invalid: []testcontainers.Engine{pg}},
	{name: "sqlite deferred", opts: []txn.Option{txn.Deferred}, ok: []testcontainers.Engine{sqlite}},
	{name: "sqlite immediate", opts: []txn.Option{txn.Immediate}, ok: []testcontainers.Engine{sqlite}},
	{name: "sqlite exclusive", opts: []txn.Option{txn.Exclusive}, ok: []testcontainers.Engine{sqlite}},
	{name: "negative retry", opts: []txn.Option{txn.Retry(-1)}, invalid: []testcontainers.Engine{pg, mysql, sqlite}},
	{name: "unknown level", opts: []txn.Option{txn.Level(9)}, invalid: []testcontainers.Engine{pg, mysql, sqlite}},
}

func TestAtomicOptions(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		for _, c := range optionCases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				e.reset()
				ran := false
				err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
					ran = true
					if tdb.Engine == pg {
						var level string
						if err := e.db.QueryRow(ctx, conn.SQL("SHOW transaction_isolation")).Scan(&level); err != nil {
							return err
						}
						if level != c.pgLevel {
							t.Errorf("transaction_isolation %q; want %q", level, c.pgLevel)
						}
					}
					if c.readOnly {
						return nil
					}
					return e.ins(ctx, 1)
				}, c.opts...)
				var want error
				switch {
				case containsEngine(c.ok, tdb.Engine):
				case containsEngine(c.invalid, tdb.Engine):
					want = txn.ErrInvalidOption
				default:
					want = txn.ErrUnsupported
				}
				if want == nil {
					if err != nil {
						t.Fatalf("Atomic with %s: %v", c.name, err)
					}
					if got := e.ids(); !c.readOnly && !equalIDs(got, 1) {
						t.Errorf("rows %v; want [1]", got)
					}
				} else {
					if !errors.Is(err, want) {
						t.Fatalf("Atomic with %s: %v; want %v", c.name, err, want)
					}
					if ran {
						t.Error("the block ran despite the option error")
					}
					if !strings.Contains(err.Error(), "txn:") {
						t.Errorf("error %q does not say which option", err)
					}
				}
				e.checkPool(t)
			})
		}

		t.Run("read only rejects a write", func(t *testing.T) {
			e.t = t
			e.reset()
			if tdb.Engine == sqlite {
				err := e.db.Atomic(t.Context(), func(context.Context) error { return nil }, txn.ReadOnly)
				if !errors.Is(err, txn.ErrUnsupported) || !strings.Contains(err.Error(), "sqlite") {
					t.Fatalf("read-only on SQLite: %v; want ErrUnsupported naming sqlite", err)
				}
				return
			}
			mustExec(t, e.db, "INSERT INTO items (id) VALUES (7)")
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				var n int
				if err := e.db.QueryRow(ctx, conn.SQL("SELECT count(*) FROM items")).Scan(&n); err != nil || n != 1 {
					t.Errorf("read in a read-only block: %d, %v", n, err)
				}
				return e.ins(ctx, 8)
			}, txn.ReadOnly)
			if err == nil {
				t.Fatal("INSERT in a READ ONLY transaction succeeded")
			}
			t.Logf("%s: %v", tdb.Engine, err)
			if !equalIDs(e.ids(), 7) {
				t.Errorf("rows %v; want [7]", e.ids())
			}
		})
	})
}

func containsEngine(es []testcontainers.Engine, e testcontainers.Engine) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}

// TestAtomicOutsideContext shows what a statement made with a context from outside a block
// does: it runs on another connection, does not see the block's uncommitted rows, and a write
// to a row the block holds waits until its own limit instead of hanging or deadlocking.
func TestAtomicOutsideContext(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		params := "pool_max_conns=4"
		if tdb.Engine == sqlite {
			params += "&busy_timeout=200"
		}
		e := newAtomicEnv(t, tdb, params)
		outside := t.Context()
		err := e.db.Atomic(outside, func(ctx context.Context) error {
			e.must(ctx, 1)
			var n int
			if err := e.db.QueryRow(outside, conn.SQL("SELECT count(*) FROM items")).Scan(&n); err != nil || n != 0 {
				t.Errorf("outside read saw %d rows, %v; want 0: the block has not committed", n, err)
			}
			if err := e.db.QueryRow(ctx, conn.SQL("SELECT count(*) FROM items")).Scan(&n); err != nil || n != 1 {
				t.Errorf("inside read saw %d rows, %v; want 1", n, err)
			}
			// A write to the row the block inserted: PostgreSQL and MySQL wait on the row lock
			// (here until the context's deadline), SQLite on the write lock until busy_timeout.
			wctx, cancel := context.WithTimeout(outside, 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			werr := e.ins(wctx, 1)
			if werr == nil {
				t.Error("outside write of the block's row succeeded while the block holds it")
			}
			t.Logf("%s: outside write failed after %v: %v", tdb.Engine, time.Since(start).Round(time.Millisecond), werr)
			if tdb.Engine == sqlite && !errors.Is(werr, conn.ErrSerialization) {
				t.Errorf("SQLite outside write: %v; want ErrSerialization (database is locked)", werr)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("the block failed after an outside write waited on it: %v", err)
		}
		if !equalIDs(e.ids(), 1) {
			t.Errorf("rows %v; want [1]", e.ids())
		}
		e.checkPool(t)
	})
}

// TestAtomicOnPinnedConnection: a block inside WithConn begins its transaction on the pinned
// connection, which stays pinned, with its session state, after the block.
func TestAtomicOnPinnedConnection(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		err := e.db.WithConn(t.Context(), func(ctx context.Context) error {
			if _, err := e.db.Exec(ctx, conn.SQL("CREATE TEMPORARY TABLE scratch (id INT)")); err != nil {
				return err
			}
			if err := e.db.Atomic(ctx, func(ctx context.Context) error {
				_, err := e.db.Exec(ctx, conn.SQL("INSERT INTO scratch (id) VALUES (1)"))
				return err
			}); err != nil {
				return err
			}
			err := e.db.Atomic(ctx, func(ctx context.Context) error {
				e.db.Exec(ctx, conn.SQL("INSERT INTO scratch (id) VALUES (2)"))
				return errOuter
			})
			if err != errOuter {
				t.Errorf("failing block: %v", err)
			}
			if s := e.db.Stats(); s.InUse != 1 {
				t.Errorf("%d connections in use inside WithConn; want the one pinned", s.InUse)
			}
			var n, sum int
			if err := e.db.QueryRow(ctx, conn.SQL("SELECT count(*), sum(id) FROM scratch")).Scan(&n, &sum); err != nil {
				return err
			}
			if n != 1 || sum != 1 {
				t.Errorf("scratch has %d rows summing to %d; want the committed row 1 only", n, sum)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		e.checkPool(t)
	})
}
