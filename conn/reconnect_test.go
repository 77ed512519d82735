package conn_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// countingTracer counts statements and remembers how the last one ended.
type countingTracer struct {
	mu     sync.Mutex
	starts int
	ends   []conn.TraceQueryEndData
}

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ conn.TraceQueryStartData) context.Context {
	c.mu.Lock()
	c.starts++
	c.mu.Unlock()
	return ctx
}

func (c *countingTracer) TraceQueryEnd(_ context.Context, d conn.TraceQueryEndData) {
	c.mu.Lock()
	c.ends = append(c.ends, d)
	c.mu.Unlock()
}

func (c *countingTracer) last() conn.TraceQueryEndData {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ends[len(c.ends)-1]
}

// pinAll takes n connections out of db's pool at once (so they are n distinct ones), records
// their server ids, and returns them to the pool.
func pinAll(t *testing.T, db *conn.DB, e testcontainers.Engine, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	var ready, release sync.WaitGroup
	ready.Add(n)
	release.Add(1)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := db.WithConn(t.Context(), func(ctx context.Context) error {
				ids[i] = sessionID(t, ctx, db, e)
				ready.Done()
				release.Wait()
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	ready.Wait()
	release.Done()
	wg.Wait()
	return ids
}

// killSessions ends the given server sessions from the harness's own connection, the way an
// administrator or a server restart would, and waits until the server has closed them.
func killSessions(t *testing.T, tdb *testcontainers.Database, ids []int64) {
	t.Helper()
	ctx := t.Context()
	for _, id := range ids {
		var err error
		if tdb.Engine == testcontainers.EnginePostgres {
			_, err = tdb.SQL.ExecContext(ctx, "SELECT pg_terminate_backend($1)", id)
		} else {
			_, err = tdb.SQL.ExecContext(ctx, fmt.Sprintf("KILL %d", id))
		}
		if err != nil {
			t.Fatalf("ending session %d: %v", id, err)
		}
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = fmt.Sprint(id)
	}
	q := "SELECT COUNT(*) FROM pg_stat_activity WHERE pid IN (" + strings.Join(list, ",") + ")"
	if tdb.Engine == testcontainers.EngineMySQL {
		q = "SELECT COUNT(*) FROM information_schema.processlist WHERE id IN (" + strings.Join(list, ",") + ")"
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := tdb.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions still alive 10s after being ended", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Every pooled connection is ended by the server; the next statement must still succeed, on
// a new connection, while a connection pinned before the kill reports ErrOperational.
func TestReconnectAfterServerEndsSessions(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			t.Skip("SQLite has no server to end a session: its connections are in-process file handles and do not die; nothing is retried (see TestFailedStatementRunsOnce)")
		}
		const n = 4
		tr := &countingTracer{}
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: n}), conn.WithTracer(tr))
		ctx := t.Context()
		for round := range 3 {
			ids := pinAll(t, db, tdb.Engine, n)
			killSessions(t, tdb, ids)
			// The next read succeeds, and every pooled connection behind it was replaced.
			for i := range 2 * n {
				var one int
				if err := db.QueryRow(ctx, conn.SQL("SELECT 1")).Scan(&one); err != nil || one != 1 {
					t.Fatalf("round %d, read %d after the kill: %v", round, i, err)
				}
				if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err != nil {
					t.Fatalf("round %d, exec %d after the kill: %v", round, i, err)
				}
			}
			fresh := pinAll(t, db, tdb.Engine, n)
			for _, id := range fresh {
				for _, dead := range ids {
					if id == dead {
						t.Fatalf("round %d: ended session %d still in the pool", round, id)
					}
				}
			}
		}

		// Pinned: the block's connection dies under it; the error surfaces, classified, and
		// the block's next statement is not moved to another connection either.
		err := db.WithConn(ctx, func(ctx context.Context) error {
			id := sessionID(t, ctx, db, tdb.Engine)
			killSessions(t, tdb, []int64{id})
			_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
			if !errors.Is(err, conn.ErrOperational) {
				t.Errorf("statement on a pinned, ended connection: %v, want ErrOperational", err)
			}
			if last := tr.last(); last.Retried {
				t.Error("a statement on a pinned connection was retried")
			}
			if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err == nil {
				t.Error("the block's second statement succeeded: it was moved off the pinned connection")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Inside a transaction begun on the pinned connection, the same.
		err = db.WithConn(ctx, func(ctx context.Context) error {
			begin := "BEGIN"
			if tdb.Engine == testcontainers.EngineMySQL {
				begin = "START TRANSACTION"
			}
			mustExecCtx(t, ctx, db, begin)
			killSessions(t, tdb, []int64{sessionID(t, ctx, db, tdb.Engine)})
			var one int
			err := db.QueryRow(ctx, conn.SQL("SELECT 1")).Scan(&one)
			if !errors.Is(err, conn.ErrOperational) {
				t.Errorf("read in a transaction on an ended connection: %v, want ErrOperational", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// And the pool is healthy afterwards.
		if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err != nil {
			t.Fatal(err)
		}
	})
}

// A statement that fails for its own reasons runs once: reconnect-once is for dead
// connections only, on every engine.
func TestFailedStatementRunsOnce(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mustExecHarness(t, tdb, "CREATE TABLE runs_once (id int PRIMARY KEY)")
		tr := &countingTracer{}
		db := openT(t, tdb, conn.WithTracer(tr))
		ctx := t.Context()
		mustExec(t, db, "INSERT INTO runs_once VALUES (1)")
		before := tr.starts
		_, err := db.Exec(ctx, conn.SQL("INSERT INTO runs_once VALUES (1)"))
		if !errors.Is(err, conn.ErrIntegrity) {
			t.Fatalf("duplicate key: %v, want ErrIntegrity", err)
		}
		if _, err := db.Exec(ctx, conn.SQL("SELEC 1")); !errors.Is(err, conn.ErrProgramming) {
			t.Fatalf("syntax error: %v, want ErrProgramming", err)
		}
		if got := tr.starts - before; got != 2 {
			t.Errorf("two failing statements started %d times", got)
		}
		for _, e := range tr.ends[len(tr.ends)-2:] {
			if e.Retried || e.Err == nil {
				t.Errorf("failing statement reported Retried=%v Err=%v", e.Retried, e.Err)
			}
		}
		if n := countIn(t, tdb, "runs_once"); n != 1 {
			t.Errorf("%d rows, want 1", n)
		}
	})
}

// A cancelled statement is the caller's decision: never retried, and its connection is not
// reused mid-statement.
func TestCancelledStatementNotRetried(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		sleep := map[testcontainers.Engine]string{
			testcontainers.EnginePostgres: "SELECT pg_sleep(5)",
			testcontainers.EngineMySQL:    "SELECT SLEEP(5)",
			testcontainers.EngineSQLite:   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT COUNT(*) FROM c",
		}[tdb.Engine]
		tr := &countingTracer{}
		db := openT(t, tdb, conn.WithTracer(tr))
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		var n int64
		err := db.QueryRow(ctx, conn.SQL(sleep)).Scan(&n)
		if err == nil && tdb.Engine == testcontainers.EngineMySQL {
			// MySQL's SLEEP returns 1 when killed by the driver's cancel: the query "succeeds".
			err = ctx.Err()
		}
		if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, conn.ErrOperational) {
			t.Errorf("cancelled statement: %v", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("cancellation took %v", d)
		}
		var started atomic.Int32
		started.Store(int32(tr.starts))
		if started.Load() != 1 || tr.last().Retried {
			t.Errorf("the cancelled statement started %d times (retried=%v)", started.Load(), tr.last().Retried)
		}
		if _, err := db.Exec(t.Context(), conn.SQL("SELECT 1")); err != nil {
			t.Errorf("statement after a cancelled one: %v", err)
		}
	})
}
