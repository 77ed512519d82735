package conn_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// ph is the engine's placeholder for the n-th argument.
func ph(e testcontainers.Engine, n int) string {
	if e == testcontainers.EnginePostgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// sessionID returns the server's id of the connection a statement made with ctx runs on:
// PostgreSQL's backend pid, MySQL's connection id. SQLite has none: it returns 0.
func sessionID(t *testing.T, ctx context.Context, db *conn.DB, e testcontainers.Engine) int64 {
	t.Helper()
	var q string
	switch e {
	case testcontainers.EnginePostgres:
		q = "SELECT pg_backend_pid()"
	case testcontainers.EngineMySQL:
		q = "SELECT CONNECTION_ID()"
	default:
		return 0
	}
	var id int64
	if err := db.QueryRow(ctx, conn.SQL(q)).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// count returns SELECT COUNT(*) FROM table as seen by a statement made with ctx.
func count(t *testing.T, ctx context.Context, db *conn.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(ctx, conn.SQL("SELECT COUNT(*) FROM "+table)).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// countIn counts the rows of table through the harness's own connection, which sees only
// what was committed.
func countIn(t *testing.T, tdb *testcontainers.Database, table string) int64 {
	t.Helper()
	var n int64
	if err := tdb.SQL.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func onePool() conn.Option { return conn.WithPool(conn.PoolConfig{MaxConns: 1}) }

func TestWithConnKeepsSessionState(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 4}))
		ctx := t.Context()
		// Keep the other pooled connections busy-ish, so that without pinning the statements
		// below would be spread over several connections.
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range 3 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		defer func() { close(stop); wg.Wait() }()

		for i := range 5 {
			err := db.WithConn(ctx, func(ctx context.Context) error {
				id := sessionID(t, ctx, db, tdb.Engine)
				mustExecCtx(t, ctx, db, "CREATE TEMPORARY TABLE scratch (n int)")
				for j := range 3 {
					mustExecCtx(t, ctx, db, "INSERT INTO scratch VALUES ("+ph(tdb.Engine, 1)+")", j)
					if got := sessionID(t, ctx, db, tdb.Engine); got != id {
						t.Errorf("round %d: statement %d ran on connection %d, the block pinned %d", i, j, got, id)
					}
				}
				if n := count(t, ctx, db, "scratch"); n != 3 {
					t.Errorf("round %d: the temporary table holds %d rows, want 3", i, n)
				}
				switch tdb.Engine {
				case testcontainers.EnginePostgres:
					mustExecCtx(t, ctx, db, "SELECT set_config('typedsql.marker', 'round', false)")
					var v string
					if err := db.QueryRow(ctx, conn.SQL("SELECT current_setting('typedsql.marker')")).Scan(&v); err != nil || v != "round" {
						t.Errorf("session setting = %q, %v", v, err)
					}
				case testcontainers.EngineMySQL:
					mustExecCtx(t, ctx, db, "SET @marker = 'round'")
					var v string
					if err := db.QueryRow(ctx, conn.SQL("SELECT @marker")).Scan(&v); err != nil || v != "round" {
						t.Errorf("session variable = %q, %v", v, err)
					}
				}
				// The block's state is its own: drop the table so the pooled connection
				// goes back as it came (temporary tables are session state conn leaves alone).
				mustExecCtx(t, ctx, db, "DROP TABLE scratch")
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}

func mustExecCtx(t *testing.T, ctx context.Context, db *conn.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Exec(ctx, conn.SQL(sql), args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestWithConnNestedReusesConnection(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb)
		ctx := t.Context()
		err := db.WithConn(ctx, func(outer context.Context) error {
			mustExecCtx(t, outer, db, "CREATE TEMPORARY TABLE nested (n int)")
			id := sessionID(t, outer, db, tdb.Engine)
			return db.WithConn(outer, func(inner context.Context) error {
				if got := sessionID(t, inner, db, tdb.Engine); got != id {
					t.Errorf("inner block on connection %d, outer on %d", got, id)
				}
				// The temporary table is visible: same physical connection.
				if n := count(t, inner, db, "nested"); n != 0 {
					t.Errorf("nested table has %d rows", n)
				}
				mustExecCtx(t, inner, db, "DROP TABLE nested")
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestWithConnContextAfterBlockFails(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb)
		var leaked context.Context
		sentinel := errors.New("the block's own error")
		err := db.WithConn(t.Context(), func(ctx context.Context) error {
			leaked = ctx
			return sentinel
		})
		if !errors.Is(err, sentinel) {
			t.Fatalf("WithConn returned %v, want the block's error", err)
		}
		if _, err := db.Exec(leaked, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrBlockEnded) {
			t.Errorf("Exec with an ended block's context: %v, want ErrBlockEnded", err)
		}
		if _, err := db.Query(leaked, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrBlockEnded) {
			t.Errorf("Query with an ended block's context: %v, want ErrBlockEnded", err)
		}
		if err := db.WithConn(leaked, func(context.Context) error { return nil }); !errors.Is(err, conn.ErrBlockEnded) {
			t.Errorf("WithConn with an ended block's context: %v, want ErrBlockEnded", err)
		}
		if err := db.WithConn(t.Context(), nil); err == nil {
			t.Error("WithConn(nil) succeeded")
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections still in use after the block", s.InUse)
		}
	})
}

// A transaction begun by hand and left open must not reach the next user of the connection.
// With a pool of one connection, the next statement runs on the very same connection: were
// the transaction still open, its INSERT would never be committed and the harness's own
// connection would not see it.
func TestWithConnEndsTransactionLeftOpen(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mustExecHarness(t, tdb, "CREATE TABLE left_open (n int)")
		db := openT(t, tdb, onePool())
		ctx := t.Context()
		begin := "BEGIN"
		if tdb.Engine == testcontainers.EngineMySQL {
			begin = "START TRANSACTION"
		}
		err := db.WithConn(ctx, func(ctx context.Context) error {
			mustExecCtx(t, ctx, db, "/* by hand */ "+begin)
			mustExecCtx(t, ctx, db, "INSERT INTO left_open VALUES (1)")
			return nil // no COMMIT
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := countIn(t, tdb, "left_open"); n != 0 {
			t.Fatalf("the uncommitted row is visible (%d rows): the transaction was committed", n)
		}
		mustExec(t, db, "INSERT INTO left_open VALUES (2)")
		if n := countIn(t, tdb, "left_open"); n != 1 {
			t.Errorf("after the block, an INSERT outside any block is not committed (%d rows seen): the connection came back inside the old transaction", n)
		}
	})
}

// SET autocommit = 0 is not undone by ROLLBACK: the connection must be closed, not pooled.
func TestWithConnDiscardsConnectionWithAutocommitOff(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine != testcontainers.EngineMySQL {
			t.Skip("autocommit is a MySQL/MariaDB session setting")
		}
		mustExecHarness(t, tdb, "CREATE TABLE autocommit_off (n int)")
		db := openT(t, tdb, onePool())
		ctx := t.Context()
		var before int64
		err := db.WithConn(ctx, func(ctx context.Context) error {
			before = sessionID(t, ctx, db, tdb.Engine)
			mustExecCtx(t, ctx, db, "SET autocommit = 0")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if after := sessionID(t, ctx, db, tdb.Engine); after == before {
			t.Errorf("the connection with autocommit off went back to the pool (id %d reused)", after)
		}
		mustExec(t, db, "INSERT INTO autocommit_off VALUES (1)")
		if n := countIn(t, tdb, "autocommit_off"); n != 1 {
			t.Errorf("INSERT after the block not committed (%d rows seen)", n)
		}
	})
}

// Plain statements, including raw SELECTs, leave the connection pooled: no ROLLBACK, no
// reconnect.
func TestWithConnKeepsCleanConnection(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			t.Skip("SQLite connections have no server id to compare")
		}
		db := openT(t, tdb, onePool())
		ctx := t.Context()
		var inside int64
		err := db.WithConn(ctx, func(ctx context.Context) error {
			inside = sessionID(t, ctx, db, tdb.Engine)
			mustExecCtx(t, ctx, db, "SELECT 1")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if after := sessionID(t, ctx, db, tdb.Engine); after != inside {
			t.Errorf("a clean connection was replaced: %d inside the block, %d after", inside, after)
		}
	})
}

func TestWithConnPanicDiscardsConnection(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, onePool())
		ctx := t.Context()
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recovered %v, want the block's panic", r)
				}
			}()
			_ = db.WithConn(ctx, func(ctx context.Context) error {
				mustExecCtx(t, ctx, db, "CREATE TEMPORARY TABLE after_panic (n int)")
				panic("boom")
			})
		}()
		// The only connection was closed, so the temporary table went with it.
		err := db.WithConn(ctx, func(ctx context.Context) error {
			_, err := db.Exec(ctx, conn.SQL("SELECT COUNT(*) FROM after_panic"))
			return err
		})
		if err == nil {
			t.Error("the temporary table of the panicking block is still there: its connection was pooled")
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections in use", s.InUse)
		}
	})
}

// A pinned connection runs one statement at a time on every engine: a second statement while
// a result set is open fails at once with ErrConnBusy. On MySQL/MariaDB it used to wait on the
// open result for ever (or until the context's deadline, then "bad connection"), while SQLite
// ran it and PostgreSQL failed: the same program behaved three ways.
func TestPinnedConnOneStatementAtATime(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mustExecHarness(t, tdb, "CREATE TABLE busy (n int)")
		mustExecHarness(t, tdb, "INSERT INTO busy VALUES (1), (2), (3)")
		db := openT(t, tdb)
		// A hang is the bug: the deadline only turns it into a failure instead of a stuck run.
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		second := func(ctx context.Context, what string) {
			t.Helper()
			_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
			if !errors.Is(err, conn.ErrConnBusy) || !errors.Is(err, conn.ErrInterface) {
				t.Errorf("%s: a statement while a result set is open: %v, want ErrConnBusy", what, err)
			}
		}
		blocks := map[string]func(fn func(context.Context) error) error{
			"WithConn": func(fn func(context.Context) error) error { return db.WithConn(ctx, fn) },
			"Atomic":   func(fn func(context.Context) error) error { return db.Atomic(ctx, fn) },
			"nested Atomic": func(fn func(context.Context) error) error {
				return db.Atomic(ctx, func(ctx context.Context) error { return db.Atomic(ctx, fn) })
			},
		}
		for name, block := range blocks {
			err := block(func(ctx context.Context) error {
				rows, err := db.Query(ctx, conn.SQL("SELECT n FROM busy ORDER BY n"))
				if err != nil {
					return err
				}
				second(ctx, name+", Query")
				rows.Close()
				n := 0
				for v, err := range conn.Each[int64](ctx, db, conn.SQL("SELECT n FROM busy WHERE n <= 3 ORDER BY n")) {
					if err != nil {
						return err
					}
					n++
					second(ctx, name+", Each")
					_ = v
				}
				if n != 3 {
					t.Errorf("%s: Each yielded %d rows, want 3", name, n)
				}
				// Once the loop is over, the connection takes statements again.
				_, err = db.Exec(ctx, conn.SQL("INSERT INTO busy VALUES (4)"))
				return err
			})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT COUNT(*) FROM busy")); err != nil || n != 6 {
			t.Errorf("rows after the blocks: %d, %v; want 6 (each block's last INSERT committed)", n, err)
		}
	})
}

func mustExecHarness(t *testing.T, tdb *testcontainers.Database, sql string) {
	t.Helper()
	if _, err := tdb.SQL.ExecContext(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestWithConnInTransaction(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mustExecHarness(t, tdb, "CREATE TABLE in_tx (n int)")
		db := openT(t, tdb)
		ctx := t.Context()
		insert := "INSERT INTO in_tx VALUES (" + ph(tdb.Engine, 1) + ")"

		// Committed when fn returns nil; inside, the rows are not visible to others yet.
		err := db.WithConn(ctx, func(ctx context.Context) error {
			mustExecCtx(t, ctx, db, insert, 1)
			mustExecCtx(t, ctx, db, insert, 2)
			if n := countIn(t, tdb, "in_tx"); n != 0 && tdb.Engine != testcontainers.EngineSQLite {
				t.Errorf("uncommitted rows visible outside the block: %d", n)
			}
			if n := count(t, ctx, db, "in_tx"); n != 2 {
				t.Errorf("the block sees %d of its rows", n)
			}
			return nil
		}, conn.InTransaction())
		if err != nil {
			t.Fatal(err)
		}
		if n := countIn(t, tdb, "in_tx"); n != 2 {
			t.Fatalf("after commit: %d rows, want 2", n)
		}

		// Rolled back when fn fails; the error comes back as it is.
		failure := errors.New("no")
		err = db.WithConn(ctx, func(ctx context.Context) error {
			mustExecCtx(t, ctx, db, insert, 3)
			return failure
		}, conn.InTransaction())
		if !errors.Is(err, failure) {
			t.Fatalf("WithConn returned %v, want the block's error", err)
		}
		// Rolled back when fn panics; the panic goes on up.
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recovered %v", r)
				}
			}()
			_ = db.WithConn(ctx, func(ctx context.Context) error {
				mustExecCtx(t, ctx, db, insert, 4)
				panic("boom")
			}, conn.InTransaction())
		}()
		if n := countIn(t, tdb, "in_tx"); n != 2 {
			t.Errorf("after a failed and a panicking block: %d rows, want 2", n)
		}

		// On a connection ctx already pins: the transaction runs there.
		err = db.WithConn(ctx, func(ctx context.Context) error {
			id := sessionID(t, ctx, db, tdb.Engine)
			return db.WithConn(ctx, func(ctx context.Context) error {
				if got := sessionID(t, ctx, db, tdb.Engine); got != id {
					t.Errorf("transaction on connection %d, the outer block pinned %d", got, id)
				}
				mustExecCtx(t, ctx, db, insert, 5)
				return nil
			}, conn.InTransaction())
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := countIn(t, tdb, "in_tx"); n != 3 {
			t.Errorf("%d rows, want 3", n)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections in use", s.InUse)
		}
	})
}

// A result set fn leaves open must not keep the block from ending: database/sql would wait
// for it for ever before giving the connection back. The block closes it, the connection goes
// back to the pool, and the abandoned Rows reads as finished.
func TestWithConnClosesRowsLeftOpen(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, onePool())
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		var leaked conn.Rows
		done := make(chan error, 1)
		go func() {
			done <- db.WithConn(ctx, func(ctx context.Context) error {
				rows, err := db.Query(ctx, conn.SQL("SELECT 1 UNION ALL SELECT 2"))
				leaked = rows
				if err == nil && !rows.Next() {
					err = fmt.Errorf("no first row: %v", rows.Err())
				}
				return err // the second row is never read, the Rows never closed
			})
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("WithConn did not return with a result set left open")
		}
		if in := db.Stats().InUse; in != 0 {
			t.Errorf("%d connections still in use after the block", in)
		}
		if leaked.Next() {
			t.Error("the abandoned Rows still yields rows after its block ended")
		}
		// The single pooled connection is usable again.
		var n int64
		if err := db.QueryRow(ctx, conn.SQL("SELECT 2")).Scan(&n); err != nil || n != 2 {
			t.Fatalf("after the block: %d, %v", n, err)
		}
	})
}
