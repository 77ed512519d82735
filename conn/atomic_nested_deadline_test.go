package conn_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// longStatement runs far longer than any test waits, and is cut off by its context.
var longStatement = map[testcontainers.Engine]string{
	testcontainers.EnginePostgres: "SELECT pg_sleep(10)",
	testcontainers.EngineMySQL:    "SELECT SLEEP(10)",
	// A read that counts to a billion: SQLite has no sleep; the interrupt stops it.
	testcontainers.EngineSQLite: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c",
}

// runningQuery counts whether a session (sessionID) is running exactly the statement given.
// (The session of an earlier, lost connection may still be running the same statement.)
var runningQuery = map[testcontainers.Engine]string{
	testcontainers.EnginePostgres: "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query = $2",
	testcontainers.EngineMySQL:    "SELECT count(*) FROM information_schema.processlist WHERE id = ? AND info = ?",
}

// eventDeadline is a context whose deadline passes when expire is called rather than at a
// time, so that the test cuts a statement off while it runs however slow the machine is.
type eventDeadline struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func (c *eventDeadline) Done() <-chan struct{} { return c.done }

func (c *eventDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return c.Context.Err()
	}
}

func (c *eventDeadline) expire() { c.once.Do(func() { close(c.done) }) }

// startTracer records transaction control like txRecorder, and reports when the statement
// target starts.
type startTracer struct {
	txRecorder
	target  string
	started chan struct{} // buffered: one start at a time is waited for
}

func (s *startTracer) TraceQueryStart(ctx context.Context, d conn.TraceQueryStartData) context.Context {
	if d.SQL == s.target {
		select {
		case s.started <- struct{}{}:
		default:
		}
	}
	return ctx
}

// expireWhenRunning returns a context derived from ctx, a block's, whose deadline passes once
// stmt is running on the block's connection: when the server shows it (PostgreSQL, MySQL),
// or, on SQLite, which shows nothing, soon after the tracer saw it start (an interrupt before
// it runs has the same effect). wait waits for the watching goroutine.
func expireWhenRunning(t *testing.T, ctx context.Context, tdb *testcontainers.Database, db, watch *conn.DB, tr *startTracer, stmt string) (c *eventDeadline, wait func()) {
	c = &eventDeadline{Context: ctx, done: make(chan struct{})}
	session := sessionID(t, ctx, db, tdb.Engine)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer c.expire()
		q, ok := runningQuery[tdb.Engine]
		if !ok {
			select {
			case <-tr.started:
				time.Sleep(20 * time.Millisecond) // not needed for the outcome: to interrupt it mid-way, usually
			case <-time.After(time.Minute):
				t.Errorf("%q did not start within a minute", stmt)
			}
			return
		}
		for start := time.Now(); time.Since(start) < time.Minute; time.Sleep(5 * time.Millisecond) {
			var n int
			if err := watch.QueryRow(t.Context(), conn.SQL(q), session, stmt).Scan(&n); err != nil {
				t.Errorf("watching for %q: %v", stmt, err)
				return
			}
			if n > 0 {
				return
			}
		}
		t.Errorf("%q did not start within a minute", stmt)
	})
	return c, wg.Wait
}

// TestAtomicNestedDeadline: a nested block whose own context's deadline cancels its
// statement. pgx and go-sql-driver close the connection on a cancelled statement, so the
// transaction is lost: the nested block, the outer block's later statements and the outer
// block itself report an ErrOperational error that says the connection was lost in a nested
// block (not the outer context's "deadline exceeded": the outer context is live), and the
// outer COMMIT is never sent. SQLite interrupts the statement and keeps the connection and the
// transaction: the savepoint rolls back and the outer block goes on and commits.
func TestAtomicNestedDeadline(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		stmt := longStatement[tdb.Engine]
		tr := &startTracer{target: stmt, started: make(chan struct{}, 1)}
		watch := openURL(t, tdb.URL)
		e := &atomicEnv{t: t, db: openURL(t, withParams(tdb.URL, "pool_max_conns=4"), conn.WithTracer(tr)), engine: tdb.Engine}
		mustExec(t, e.db, "CREATE TABLE items (id BIGINT PRIMARY KEY, note VARCHAR(40))")
		lite := tdb.Engine == testcontainers.EngineSQLite
		// The outer block either hands the nested block's error on, or carries on after it.
		for i, handOn := range []bool{true, false} {
			// Rows of their own: the lost transaction's server session may still hold its
			// locks until its sleep ends.
			base := int64(10 * i)
			tr.mu.Lock()
			tr.ops = nil
			tr.mu.Unlock()
			var nestedErr, afterErr error
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				e.must(ctx, base+1)
				e.hooks(ctx, "outer")
				// The nested block's own deadline passes while its statement runs, as with
				// context.WithTimeout(ctx, short).
				nctx, wait := expireWhenRunning(t, ctx, tdb, e.db, watch, tr, stmt)
				nestedErr = e.db.Atomic(nctx, func(ctx context.Context) error {
					e.hooks(ctx, "nested")
					_, err := e.db.Exec(ctx, conn.SQL(stmt))
					return err
				})
				wait()
				afterErr = e.ins(ctx, base+2)
				if handOn {
					return nestedErr
				}
				return nil
			})
			t.Logf("hand on %v: nested: %v; after: %v; outer: %v", handOn, nestedErr, afterErr, err)

			if !errors.Is(nestedErr, context.DeadlineExceeded) {
				t.Errorf("nested block returned %v; want its own deadline as the cause", nestedErr)
			}
			if lite {
				// The interrupted read left the transaction open and the savepoint rolled
				// back: the outer block goes on.
				if afterErr != nil {
					t.Errorf("outer statement after the nested block: %v; want it to run", afterErr)
				}
				wantIDs, wantLog := []int64{base + 1, base + 2}, []string{"rollback:nested", "commit:outer"}
				if handOn {
					wantIDs, wantLog = nil, []string{"rollback:nested", "rollback:outer"}
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("outer block: %v; want the nested block's error handed on", err)
					}
				} else if err != nil {
					t.Errorf("outer block: %v; want it committed", err)
				}
				if ids := e.ids(); !equalIDs(ids, wantIDs...) {
					t.Errorf("rows %v; want %v", ids, wantIDs)
				}
				if l := e.takeLog(); !slices.Equal(l, wantLog) {
					t.Errorf("hooks %v; want %v", l, wantLog)
				}
				e.checkPool(t)
				e.reset()
				continue
			}
			for what, got := range map[string]error{"nested block": nestedErr, "outer statement after it": afterErr, "outer block": err} {
				if !errors.Is(got, conn.ErrOperational) || !strings.Contains(got.Error(), "connection was lost in a nested block") {
					t.Errorf("%s returned %v; want ErrOperational saying the connection was lost in a nested block", what, got)
				}
			}
			tr.mu.Lock()
			for _, op := range tr.ops {
				if strings.HasPrefix(op, "COMMIT") {
					t.Errorf("COMMIT sent on the lost connection (traced %q)", tr.ops)
				}
			}
			tr.mu.Unlock()
			if ids := e.ids(); len(ids) != 0 {
				t.Errorf("rows %v after the transaction was lost; want none", ids)
			}
			// In the order they were registered: the nested block's rollback hooks wait for
			// the outer rollback when its own could not be done.
			if l := e.takeLog(); !slices.Equal(l, []string{"rollback:outer", "rollback:nested"}) {
				t.Errorf("hooks %v; want [rollback:outer rollback:nested]", l)
			}
			e.checkPool(t)
		}
	})
}
