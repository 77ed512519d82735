package conn_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

// openSession opens a session on e.db, failing the test on an error.
func (e *atomicEnv) openSession(ctx context.Context, opts ...conn.SessionOption) (*conn.Session, context.Context) {
	e.t.Helper()
	s, sctx, err := e.db.Session(ctx, opts...)
	if err != nil {
		e.t.Fatalf("Session: %v", err)
	}
	return s, sctx
}

func (e *atomicEnv) wantIDs(what string, want ...int64) {
	e.t.Helper()
	if got := e.ids(); !equalIDs(got, want...) {
		e.t.Errorf("%s: committed rows %v; want %v", what, got, want)
	}
}

// TestSessionCommitRollback: a session keeps a transaction open on one connection; Commit and
// Rollback end it and begin the next; Close rolls back what is left and gives the connection
// back; the session's context then fails, and a second Close does nothing.
func TestSessionCommitRollback(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		s, ctx := e.openSession(t.Context())
		id := sessionID(t, ctx, e.db, tdb.Engine)

		e.must(ctx, 1)
		e.hooks(ctx, "a")
		e.wantIDs("before Commit")
		if err := s.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		e.wantIDs("after Commit", 1)

		e.must(ctx, 2)
		e.hooks(ctx, "b")
		if err := s.Rollback(ctx); err != nil {
			t.Fatalf("Rollback: %v", err)
		}
		e.wantIDs("after Rollback", 1)
		if got := sessionID(t, ctx, e.db, tdb.Engine); got != id {
			t.Errorf("the session moved from connection %d to %d", id, got)
		}

		e.must(ctx, 3)
		e.hooks(ctx, "c")
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		e.wantIDs("after Close", 1)
		if got, want := e.takeLog(), []string{"commit:a", "rollback:b", "rollback:c"}; !slices.Equal(got, want) {
			t.Errorf("hooks %q; want %q", got, want)
		}
		if err := e.ins(ctx, 4); !errors.Is(err, conn.ErrBlockEnded) {
			t.Errorf("statement after Close: %v; want ErrBlockEnded", err)
		}
		if err := s.Commit(ctx); !errors.Is(err, conn.ErrBlockEnded) {
			t.Errorf("Commit after Close: %v; want ErrBlockEnded", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		e.checkPool(t)
	})
}

// TestSessionNestedBlocks: in a session, Atomic and Savepoint nest as savepoints and
// Transaction joins the session's transaction; Commit refuses to run inside a nested block.
func TestSessionNestedBlocks(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		s, ctx := e.openSession(t.Context())
		defer s.Close()

		e.must(ctx, 1)
		if err := e.db.Atomic(ctx, func(ctx context.Context) error {
			if b, _ := e.db.Block(ctx); b.Depth() != 2 {
				t.Errorf("Atomic in a session: depth %d; want 2 (a savepoint)", b.Depth())
			}
			e.must(ctx, 2)
			if err := s.Commit(ctx); err == nil || !strings.Contains(err.Error(), "nested") {
				t.Errorf("Commit inside a nested block: %v; want it refused", err)
			}
			return errInner
		}); err != errInner {
			t.Errorf("Atomic: %v", err)
		}
		if err := e.db.Savepoint(ctx, func(ctx context.Context) error { return e.ins(ctx, 3) }); err != nil {
			t.Error(err)
		}
		if err := e.db.Transaction(ctx, func(ctx context.Context) error { return e.ins(ctx, 4) }); err != nil {
			t.Error(err)
		}
		if err := s.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		e.wantIDs("after Commit", 1, 3, 4)

		// A joined Transaction that fails dooms the session's transaction; Commit says so and
		// the next one begins clean.
		e.must(ctx, 5)
		e.db.Transaction(ctx, func(ctx context.Context) error { return errInner })
		if err := s.Commit(ctx); !errors.Is(err, errInner) {
			t.Errorf("Commit after a joined Transaction failed: %v; want errInner", err)
		}
		e.must(ctx, 6)
		if err := s.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		e.wantIDs("after the doomed transaction", 1, 3, 4, 6)

		// BeforeCommit hooks run at Session.Commit, and may veto it.
		e.must(ctx, 7)
		conn.BeforeCommit(ctx, func(ctx context.Context, _ []string) error { return e.ins(ctx, 8) })
		if err := s.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		e.must(ctx, 9)
		conn.BeforeCommit(ctx, func(context.Context, []string) error { return errVeto })
		if err := s.Commit(ctx); !errors.Is(err, conn.ErrCommitVetoed) {
			t.Errorf("vetoed Commit: %v; want ErrCommitVetoed", err)
		}
		e.wantIDs("after the hooks", 1, 3, 4, 6, 7, 8)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		e.checkPool(t)
	})
}

// TestSessionManualCommit: with ManualCommit, statements outside Begin commit one by one,
// Commit and Rollback need a Begin, and Atomic outside a transaction begins one (not a
// savepoint), during which Begin is refused.
func TestSessionManualCommit(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		s, ctx := e.openSession(t.Context(), conn.ManualCommit())
		defer s.Close()

		e.must(ctx, 1)
		e.wantIDs("autocommit", 1)
		if err := s.Commit(ctx); !errors.Is(err, conn.ErrNoTransaction) {
			t.Errorf("Commit with no transaction: %v; want ErrNoTransaction", err)
		}
		if err := s.Begin(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Begin(ctx); !errors.Is(err, conn.ErrInTransaction) {
			t.Errorf("second Begin: %v; want ErrInTransaction", err)
		}
		e.must(ctx, 2)
		if err := s.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Rollback(ctx); !errors.Is(err, conn.ErrNoTransaction) {
			t.Errorf("second Rollback: %v; want ErrNoTransaction", err)
		}
		if err := s.Begin(ctx); err != nil {
			t.Fatal(err)
		}
		e.must(ctx, 3)
		e.wantIDs("inside Begin", 1)
		if err := s.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		e.must(ctx, 4) // autocommit again
		e.wantIDs("after Commit", 1, 3, 4)

		err := e.db.Atomic(ctx, func(bctx context.Context) error {
			if b, _ := e.db.Block(bctx); b.Depth() != 1 {
				t.Errorf("Atomic in a manual session outside Begin: depth %d; want 1", b.Depth())
			}
			if err := s.Begin(ctx); !errors.Is(err, conn.ErrInTransaction) {
				t.Errorf("Begin inside an Atomic on the session: %v; want ErrInTransaction", err)
			}
			return e.ins(bctx, 5)
		})
		if err != nil {
			t.Fatal(err)
		}
		e.wantIDs("after Atomic", 1, 3, 4, 5)

		if err := s.Begin(ctx); err != nil {
			t.Fatal(err)
		}
		e.must(ctx, 6)
		if err := s.Close(); err != nil { // rolls back 6
			t.Fatal(err)
		}
		e.wantIDs("after Close", 1, 3, 4, 5)
		e.checkPool(t)
	})
}

// TestSessionEndsWithItsContext: a session whose Close is forgotten ends when the context
// given to DB.Session ends: its work rolls back, its rollback hooks run and its connection
// leaves the pool's in-use count. A result set still open keeps it until the result set is
// closed.
func TestSessionEndsWithItsContext(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")

		pctx, cancel := context.WithCancel(t.Context())
		_, ctx := e.openSession(pctx)
		e.must(ctx, 1)
		e.hooks(ctx, "a")
		if got := e.db.Stats().InUse; got != 1 {
			t.Errorf("in use with a session open: %d; want 1", got)
		}
		cancel() // and no Close
		waitIdle(t, e.db)
		e.wantIDs("after the context ended")
		if got := e.takeLog(); !slices.Equal(got, []string{"rollback:a"}) {
			t.Errorf("hooks %q; want [rollback:a]", got)
		}
		if err := e.ins(ctx, 2); !errors.Is(err, conn.ErrBlockEnded) {
			t.Errorf("statement after the session's context ended: %v; want ErrBlockEnded", err)
		}

		// An open result set holds the session until it is closed.
		pctx, cancel = context.WithCancel(t.Context())
		defer cancel()
		s, ctx := e.openSession(pctx)
		e.must(ctx, 3)
		rows, err := e.db.Query(ctx, conn.SQL("SELECT id FROM items"))
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		rows.Close()
		waitIdle(t, e.db)
		e.wantIDs("after the second session's context ended")
		if err := s.Close(); err != nil {
			t.Errorf("Close after the context ended: %v", err)
		}
		e.checkPool(t)
	})
}

// TestSessionMisuse: a statement from a second goroutine while the session's connection is
// busy fails with ErrConnBusy; a session cannot open inside a block of its DB; txn.Retry is
// refused; an option the engine cannot honour is an error before a connection is taken.
func TestSessionMisuse(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		s, ctx := e.openSession(t.Context())
		rows, err := e.db.Query(ctx, conn.SQL("SELECT id FROM items"))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := e.ins(ctx, 1); !errors.Is(err, conn.ErrConnBusy) {
				t.Errorf("statement from another goroutine while a result set is open: %v; want ErrConnBusy", err)
			}
		})
		wg.Wait()
		rows.Close()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		e.db.Atomic(t.Context(), func(ctx context.Context) error {
			if _, _, err := e.db.Session(ctx); !errors.Is(err, conn.ErrInterface) {
				t.Errorf("Session inside Atomic: %v; want an ErrInterface error", err)
			}
			return nil
		})
		var oe *txn.OptionError
		if _, _, err := e.db.Session(t.Context(), conn.SessionTx(txn.Retry(3))); !errors.As(err, &oe) {
			t.Errorf("Session with Retry: %v; want an OptionError", err)
		}
		if tdb.Engine == testcontainers.EngineSQLite {
			if _, _, err := e.db.Session(t.Context(), conn.SessionTx(txn.Serializable)); !errors.As(err, &oe) {
				t.Errorf("Session with SERIALIZABLE on SQLite: %v; want an OptionError", err)
			}
		}
		e.checkPool(t)
	})
}

// TestPinnedConnectionRefusesSecondBegin: a context that pins a connection (WithConn, a
// session outside its transaction) but not the block running on it cannot begin a second
// transaction there; before, its BEGIN went to a connection already in one.
func TestPinnedConnectionRefusesSecondBegin(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		err := e.db.WithConn(t.Context(), func(wctx context.Context) error {
			return e.db.Atomic(wctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				err := e.db.Atomic(wctx, func(ctx context.Context) error { return e.ins(ctx, 2) })
				if !errors.Is(err, conn.ErrInterface) || !strings.Contains(err.Error(), "already in a transaction") {
					t.Errorf("Atomic with the WithConn context inside its Atomic: %v; want it refused", err)
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		e.wantIDs("after the block", 1)
		e.checkPool(t)
	})
}
