package txn_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

// recConn runs the transaction's statements on a real connection and records them.
type recConn struct {
	c   *sql.Conn
	log []string
}

func (r *recConn) Exec(ctx context.Context, s txn.Control) error {
	for _, q := range append(s.Before[:len(s.Before):len(s.Before)], s.SQL) {
		r.log = append(r.log, q)
		if _, err := r.c.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (r *recConn) take() []string {
	l := r.log
	r.log = nil
	return l
}

// pgConn also reports PostgreSQL's aborted-transaction state, as conn's connection does.
type pgConn struct{ *recConn }

func (p pgConn) Aborted() bool {
	var status byte
	p.c.Raw(func(dc any) error {
		status = dc.(*stdlib.Conn).Conn().PgConn().TxStatus()
		return nil
	})
	return status == 'E'
}

// txEnv is one engine's connection for the state machine tests.
type txEnv struct {
	d   dialect.Dialect
	rec *recConn
	c   txn.Conn
	// q quotes a savepoint name as the engine does.
	q func(string) string
}

func newTxEnv(t *testing.T, tdb *testcontainers.Database) *txEnv {
	t.Helper()
	c, err := tdb.SQL.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	e := &txEnv{rec: &recConn{c: c}}
	e.c = e.rec
	switch tdb.Engine {
	case testcontainers.EnginePostgres:
		e.d = dialect.Postgres
		e.c = pgConn{e.rec}
	case testcontainers.EngineMySQL:
		e.d = dialect.MySQL
	case testcontainers.EngineSQLite:
		e.d = dialect.SQLite
	}
	e.q = func(name string) string { return string(e.d.AppendIdent(nil, name)) }
	return e
}

func (e *txEnv) begin(t *testing.T, opts ...txn.Option) *txn.Tx {
	t.Helper()
	tx, err := txn.Begin(t.Context(), e.d, e.c, txn.Collect(opts...))
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// hookLog makes hooks that append their name to a log.
type hookLog []string

func (l *hookLog) hook(name string) txn.Hook {
	return func(context.Context) { *l = append(*l, name) }
}

func TestTxStatementsAndHooks(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		e := newTxEnv(t, tdb)
		var ran hookLog
		tx := e.begin(t)
		tx.OnCommit(ran.hook("commit a"))
		tx.OnRollback(ran.hook("rollback a"))

		d, err := tx.Savepoint(ctx)
		if err != nil || d != 2 {
			t.Fatalf("Savepoint: depth %d, %v", d, err)
		}
		tx.OnCommit(ran.hook("commit b"))
		tx.OnRollback(ran.hook("rollback b"))
		if d, _ := tx.Savepoint(ctx); d != 3 {
			t.Fatalf("second Savepoint depth %d; want 3", d)
		}
		tx.OnCommit(ran.hook("commit c"))
		tx.OnRollback(ran.hook("rollback c"))
		if _, err := tx.Release(ctx, 2); err == nil {
			t.Error("Release of depth 2 while depth 3 is open succeeded")
		}
		if _, err := tx.Commit(ctx); err == nil {
			t.Error("Commit while savepoints are open succeeded")
		}
		hs, err := tx.RollbackTo(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		hs.Run(ctx)
		if hs, err := tx.Release(ctx, 2); err != nil || len(hs) != 0 {
			t.Fatalf("Release: %d hooks, %v", len(hs), err)
		}
		hs, err = tx.Commit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		hs.Run(ctx)
		if want := []string{"rollback c", "commit a", "commit b"}; !slices.Equal(ran, want) {
			t.Errorf("hooks ran %q; want %q", ran, want)
		}
		if !tx.Clean() || tx.Depth() != 0 {
			t.Errorf("after Commit: Clean %v, Depth %d", tx.Clean(), tx.Depth())
		}
		if err := tx.OnCommit(ran.hook("late")); !errors.Is(err, txn.ErrEnded) {
			t.Errorf("OnCommit after the end: %v; want ErrEnded", err)
		}
		sp1, sp2 := e.q("sp1"), e.q("sp2")
		want := []string{
			txn.BeginSQL(e.d, txn.Options{})[0],
			"SAVEPOINT " + sp1,
			"SAVEPOINT " + sp2,
			"ROLLBACK TO SAVEPOINT " + sp2,
			"RELEASE SAVEPOINT " + sp2,
			"RELEASE SAVEPOINT " + sp1,
			"COMMIT",
		}
		if got := e.rec.take(); !slices.Equal(got, want) {
			t.Errorf("statements\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestTxRestart(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		e := newTxEnv(t, tdb)
		var ran hookLog
		tx := e.begin(t)
		begin := e.rec.take()
		tx.OnCommit(ran.hook("commit 1"))
		tx.OnRollback(ran.hook("rollback 1"))
		hs, err := tx.Restart(ctx, 1, true)
		if err != nil {
			t.Fatal(err)
		}
		hs.Run(ctx)
		tx.OnRollback(ran.hook("rollback 2"))
		hs, err = tx.Restart(ctx, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		hs.Run(ctx)
		tx.Savepoint(ctx)
		tx.OnCommit(ran.hook("commit sp"))
		if hs, err := tx.Restart(ctx, 2, true); err != nil || len(hs) != 0 {
			t.Fatalf("Restart(2, commit): %d hooks, %v", len(hs), err)
		}
		tx.OnRollback(ran.hook("rollback sp"))
		hs, err = tx.Restart(ctx, 2, false)
		if err != nil {
			t.Fatal(err)
		}
		hs.Run(ctx)
		if _, err := tx.Restart(ctx, 1, true); err == nil {
			t.Error("Restart of depth 1 under an open savepoint succeeded")
		}
		tx.Release(ctx, 2)
		hs, _ = tx.Commit(ctx)
		hs.Run(ctx)
		if want := []string{"commit 1", "rollback 2", "rollback sp", "commit sp"}; !slices.Equal(ran, want) {
			t.Errorf("hooks ran %q; want %q", ran, want)
		}
		sp := e.q("sp1")
		var want []string
		want = append(want, "COMMIT")
		want = append(want, begin...)
		want = append(want, "ROLLBACK")
		want = append(want, begin...)
		want = append(want, "SAVEPOINT "+sp, "RELEASE SAVEPOINT "+sp, "SAVEPOINT "+sp,
			"ROLLBACK TO SAVEPOINT "+sp, "RELEASE SAVEPOINT "+sp, "COMMIT")
		if got := e.rec.take(); !slices.Equal(got, want) {
			t.Errorf("statements\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestTxAbortedByFailedStatement: after a failed statement PostgreSQL aborts the transaction,
// so a savepoint cannot be released and the block is rolled back instead; the transaction goes
// on. MySQL and SQLite keep the transaction and release as usual.
func TestTxAbortedByFailedStatement(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		e := newTxEnv(t, tdb)
		tx := e.begin(t)
		tx.Savepoint(ctx)
		var ran hookLog
		tx.OnRollback(ran.hook("rollback"))
		if _, err := e.rec.c.ExecContext(ctx, "SELECT * FROM no_such_table"); err == nil {
			t.Fatal("a statement on a missing table succeeded")
		}
		hs, err := tx.Release(ctx, 2)
		hs.Run(ctx)
		if tdb.Engine == testcontainers.EnginePostgres {
			if !errors.Is(err, txn.ErrAborted) || !slices.Equal(ran, hookLog{"rollback"}) {
				t.Errorf("Release after a failed statement: %v, hooks %q; want ErrAborted and the rollback hook", err, ran)
			}
		} else if err != nil || len(ran) != 0 {
			t.Errorf("Release: %v, hooks %q; want a plain release", err, ran)
		}
		if _, err := tx.Commit(ctx); err != nil {
			t.Errorf("Commit after the nested block: %v", err)
		}

		// Without a savepoint, PostgreSQL's COMMIT would quietly roll back: Commit says so.
		tx = e.begin(t)
		e.rec.c.ExecContext(ctx, "SELECT * FROM no_such_table")
		_, err = tx.Commit(ctx)
		if tdb.Engine == testcontainers.EnginePostgres != errors.Is(err, txn.ErrAborted) {
			t.Errorf("Commit of a transaction with a failed statement: %v", err)
		}
		if !tx.Clean() {
			t.Error("the connection is not clean after the transaction ended")
		}
	})
}

// TestTxLost: when the transaction disappears under the state machine (here a ROLLBACK sent
// behind its back, as a deadlock does on MySQL), rolling back a savepoint fails, the
// transaction is marked failed, no new savepoint opens, and Commit rolls back and says why.
func TestTxLost(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		e := newTxEnv(t, tdb)
		tx := e.begin(t)
		var ran hookLog
		tx.OnCommit(ran.hook("commit"))
		tx.Savepoint(ctx)
		tx.OnRollback(ran.hook("rollback sp"))
		if _, err := e.rec.c.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		hs, err := tx.RollbackTo(ctx, 2)
		if err == nil {
			t.Fatal("ROLLBACK TO SAVEPOINT succeeded after the transaction was gone")
		}
		if len(hs) != 0 {
			t.Errorf("%d hooks due from a failed savepoint rollback; want them kept for the transaction's", len(hs))
		}
		if tx.Err() == nil {
			t.Fatal("Err() is nil after a failed savepoint rollback")
		}
		if _, err := tx.Savepoint(ctx); err == nil {
			t.Error("a new savepoint opened in a failed transaction")
		}
		hs, err = tx.Commit(ctx)
		hs.Run(ctx)
		if err == nil || !strings.Contains(err.Error(), "cannot commit") {
			t.Errorf("Commit of a failed transaction: %v", err)
		}
		if !slices.Equal(ran, hookLog{"rollback sp"}) {
			t.Errorf("hooks ran %q; want the savepoint's rollback hook only", ran)
		}
		// PostgreSQL and MySQL accept a ROLLBACK outside a transaction; SQLite refuses it,
		// so there the connection's state is reported unknown.
		if clean := tdb.Engine != testcontainers.EngineSQLite; tx.Clean() != clean {
			t.Errorf("Clean() = %v; want %v", tx.Clean(), clean)
		}

	})
}

// TestBeginEveryOption sends every combination of options the engine accepts to the engine,
// and checks that Validate rejects exactly those the engine cannot express.
func TestBeginEveryOption(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		e := newTxEnv(t, tdb)
		accepted := 0
		for level := range txn.Serializable + 1 {
			for access := range txn.ReadOnly + 1 {
				for _, def := range []bool{false, true} {
					for lock := range txn.Exclusive + 1 {
						o := txn.Options{Isolation: level, Access: access, Deferrable: def, Lock: lock}
						tx, err := txn.Begin(ctx, e.d, e.c, o)
						if err != nil {
							var oe *txn.OptionError
							if !errors.As(err, &oe) {
								t.Errorf("%+v: the engine refused %q: %v", o, txn.BeginSQL(e.d, o), err)
							}
							continue
						}
						accepted++
						if _, err := tx.Rollback(ctx); err != nil {
							t.Errorf("%+v: %v", o, err)
						}
					}
				}
			}
		}
		// PostgreSQL: 5 levels x 3 access modes + SERIALIZABLE READ ONLY DEFERRABLE;
		// MySQL the same without DEFERRABLE; SQLite: the default and its 3 lock modes.
		want := map[testcontainers.Engine]int{testcontainers.EnginePostgres: 16, testcontainers.EngineMySQL: 15, testcontainers.EngineSQLite: 4}[tdb.Engine]
		if accepted != want {
			t.Errorf("%d option combinations accepted; want %d", accepted, want)
		}
	})
}

// closedConn is a connection its Conn reports closed, as conn's does once pgx has closed it.
type closedConn struct{ *recConn }

func (closedConn) Closed() bool { return true }

// TestTxRollbackOnClosedConn: on a connection reported closed, Rollback sends nothing (a
// ROLLBACK could only fail there), returns the rollback hooks with no error, and leaves the
// connection unclean, to be discarded.
func TestTxRollbackOnClosedConn(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	ctx := t.Context()
	e := newTxEnv(t, tdb)
	tx, err := txn.Begin(ctx, e.d, closedConn{e.rec}, txn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ran hookLog
	tx.OnRollback(ran.hook("rollback"))
	e.rec.take()
	hs, err := tx.Rollback(ctx)
	hs.Run(ctx)
	if err != nil || !slices.Equal(ran, hookLog{"rollback"}) {
		t.Errorf("Rollback: %v, hooks %q; want no error and the rollback hook", err, ran)
	}
	if log := e.rec.take(); len(log) != 0 {
		t.Errorf("sent %q on a closed connection", log)
	}
	if tx.Clean() {
		t.Error("Clean() after a rollback that sent nothing; want the connection discarded")
	}
	if _, err := e.rec.c.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}
