package conn_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/testcontainers"
)

// Reconnect-once on PostgreSQL, on a pool whose connections fail as the test says
// (postgres.FromPool wraps it); reconnect_internal_test.go has the database/sql side.

// connLost is a failure that, like pgx's own SafeToRetry errors, happened before anything
// was sent to the server.
type connLost struct{}

func (connLost) Error() string     { return "connection lost before the statement was sent" }
func (connLost) SafeToRetry() bool { return true }

// faultyPostgres opens the test database on a pgx pool whose next `fail` connection
// acquisitions fail with err (through pgxpool's PrepareConn hook, which runs as a connection
// leaves the pool), and counts every acquisition.
func faultyPostgres(t *testing.T, err error) (db *conn.DB, fail, acquired *atomic.Int32, tr *countTracer) {
	t.Helper()
	tdb := testcontainers.Postgres(t)
	tr = &countTracer{}
	pc, perr := pgxpool.ParseConfig(tdb.DSN)
	if perr != nil {
		t.Fatal(perr)
	}
	fail, acquired = new(atomic.Int32), new(atomic.Int32)
	pc.PrepareConn = func(context.Context, *pgx.Conn) (bool, error) {
		acquired.Add(1)
		if fail.Add(-1) >= 0 {
			return true, err
		}
		return true, nil
	}
	pool, perr := pgxpool.NewWithConfig(t.Context(), pc)
	if perr != nil {
		t.Fatal(perr)
	}
	// The retries' info records are not this test's subject.
	db, perr = postgres.FromPool(pool, conn.WithTracer(tr), conn.WithLogger(slog.New(slog.DiscardHandler)))
	if perr != nil {
		pool.Close()
		t.Fatal(perr)
	}
	t.Cleanup(func() { db.Close(); pool.Close() })
	return db, fail, acquired, tr
}

type countTracer struct{ starts, retried atomic.Int32 }

func (c *countTracer) TraceQueryStart(ctx context.Context, _ conn.TraceQueryStartData) context.Context {
	c.starts.Add(1)
	return ctx
}

func (c *countTracer) TraceQueryEnd(_ context.Context, d conn.TraceQueryEndData) {
	if d.Retried {
		c.retried.Add(1)
	}
}

func TestReconnectRetriesOnce(t *testing.T) {
	db, fail, acquired, tr := faultyPostgres(t, connLost{})
	ctx := t.Context()

	// One dead connection: the statement runs again on a fresh one and succeeds.
	fail.Store(1)
	acquired.Store(0)
	if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err != nil {
		t.Fatalf("Exec after one lost connection: %v", err)
	}
	if acquired.Load() != 2 || tr.retried.Load() != 1 || tr.starts.Load() != 1 {
		t.Errorf("%d acquisitions, %d retried, %d starts; want 2, 1, 1", acquired.Load(), tr.retried.Load(), tr.starts.Load())
	}

	// Same for Query, and Rows read from the retry give their connection back.
	fail.Store(1)
	acquired.Store(0)
	var n int
	if err := db.QueryRow(ctx, conn.SQL("SELECT 41 + 1")).Scan(&n); err != nil || n != 42 {
		t.Fatalf("QueryRow after one lost connection: %d, %v", n, err)
	}
	if acquired.Load() != 2 {
		t.Errorf("%d acquisitions, want 2", acquired.Load())
	}
	if s := db.Stats(); s.InUse != 0 {
		t.Errorf("%d connections in use after the retried query", s.InUse)
	}

	// Every connection dead: one retry, not more, and the error surfaces.
	fail.Store(100)
	acquired.Store(0)
	tr.retried.Store(0)
	_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
	if !errors.As(err, new(connLost)) {
		t.Errorf("Exec with every connection dead: %v", err)
	}
	if acquired.Load() != 2 || tr.retried.Load() != 1 {
		t.Errorf("%d acquisitions and %d retries, want 2 and 1 (retry once)", acquired.Load(), tr.retried.Load())
	}

	// A cancelled context is never retried.
	fail.Store(1)
	acquired.Store(0)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	db.Exec(cctx, conn.SQL("SELECT 1"))
	if acquired.Load() > 1 {
		t.Errorf("a cancelled statement was retried (%d acquisitions)", acquired.Load())
	}

	// A pinned connection is never retried: pinning fails as it is.
	fail.Store(1)
	acquired.Store(0)
	err = db.WithConn(ctx, func(context.Context) error { return nil })
	if !errors.As(err, new(connLost)) || acquired.Load() != 1 {
		t.Errorf("WithConn on a lost connection: %v after %d acquisitions, want the error after 1", err, acquired.Load())
	}
	fail.Store(0)
}

func TestReconnectOnlySafeErrors(t *testing.T) {
	db, fail, acquired, tr := faultyPostgres(t, errors.New("the server may have seen this"))
	fail.Store(1)
	acquired.Store(0)
	if _, err := db.Exec(t.Context(), conn.SQL("SELECT 1")); err == nil {
		t.Fatal("the failure was hidden")
	}
	if acquired.Load() != 1 || tr.retried.Load() != 0 {
		t.Errorf("an error not known to be safe was retried: %d acquisitions", acquired.Load())
	}
}
