package conn

import (
	"context"
	"database/sql/driver"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/testcontainers"
)

// connLost is a failure that, like pgx's own SafeToRetry errors, happened before anything
// was sent to the server.
type connLost struct{}

func (connLost) Error() string     { return "connection lost before the statement was sent" }
func (connLost) SafeToRetry() bool { return true }

// faultyPostgres opens the test database on a pgx pool whose next `fail` connection
// acquisitions fail with err (through pgxpool's PrepareConn hook, which runs as a connection
// leaves the pool), and counts every acquisition.
func faultyPostgres(t *testing.T, err error) (db *DB, fail, acquired *atomic.Int32, tr *countTracer) {
	t.Helper()
	tdb := testcontainers.Postgres(t)
	r, rerr := Config{URL: tdb.URL}.resolve()
	if rerr != nil {
		t.Fatal(rerr)
	}
	tr = &countTracer{}
	r.Tracer = tr
	r.Logger = slog.New(slog.DiscardHandler) // the retries' info records are not this test's subject
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
	db = newDB(r, &pgxBackend{pool: pool, owned: true})
	t.Cleanup(func() { db.Close() })
	return db, fail, acquired, tr
}

type countTracer struct{ starts, retried atomic.Int32 }

func (c *countTracer) TraceQueryStart(ctx context.Context, _ TraceQueryStartData) context.Context {
	c.starts.Add(1)
	return ctx
}

func (c *countTracer) TraceQueryEnd(_ context.Context, d TraceQueryEndData) {
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
	if _, err := db.Exec(ctx, SQL("SELECT 1")); err != nil {
		t.Fatalf("Exec after one lost connection: %v", err)
	}
	if acquired.Load() != 2 || tr.retried.Load() != 1 || tr.starts.Load() != 1 {
		t.Errorf("%d acquisitions, %d retried, %d starts; want 2, 1, 1", acquired.Load(), tr.retried.Load(), tr.starts.Load())
	}

	// Same for Query, and Rows read from the retry give their connection back.
	fail.Store(1)
	acquired.Store(0)
	var n int
	if err := db.QueryRow(ctx, SQL("SELECT 41 + 1")).Scan(&n); err != nil || n != 42 {
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
	_, err := db.Exec(ctx, SQL("SELECT 1"))
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
	db.Exec(cctx, SQL("SELECT 1"))
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
	if _, err := db.Exec(t.Context(), SQL("SELECT 1")); err == nil {
		t.Fatal("the failure was hidden")
	}
	if acquired.Load() != 1 || tr.retried.Load() != 0 {
		t.Errorf("an error not known to be safe was retried: %d acquisitions", acquired.Load())
	}
}

// badConnConnector wraps go-sql-driver/mysql so that the next `fail` statements fail with
// driver.ErrBadConn, as the driver reports a connection that died before anything was written,
// and counts the statements.
type badConnConnector struct {
	driver.Connector
	fail, execs *atomic.Int32
}

func (c badConnConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &badConn{Conn: dc, c: c}, nil
}

type badConn struct {
	driver.Conn
	c   badConnConnector
	bad bool
}

func (b *badConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	b.c.execs.Add(1)
	if b.c.fail.Add(-1) >= 0 {
		b.bad = true
		return nil, driver.ErrBadConn
	}
	return b.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

// IsValid lets database/sql drop the connection that "died", as the real driver does.
func (b *badConn) IsValid() bool { return !b.bad }

func TestReconnectNotDoubledOverDatabaseSQL(t *testing.T) {
	tdb := testcontainers.MySQL(t)
	for _, c := range []struct {
		name           string
		acquireTimeout time.Duration
		// attempts is how many times one statement runs when every connection is "dead":
		// database/sql's own pool tries three connections; with an acquire timeout conn
		// takes the connection itself, and its one retry is the only one.
		attempts int32
	}{
		{"database/sql pool", 0, 3},
		{"conn-acquired connection", time.Second, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Config{URL: tdb.URL, Pool: PoolConfig{AcquireTimeout: Duration(c.acquireTimeout)}}.resolve()
			if err != nil {
				t.Fatal(err)
			}
			tr := &countTracer{}
			r.Tracer, r.Logger = tr, slog.New(slog.DiscardHandler)
			mc, err := mysql.ParseDSN(tdb.DSN)
			if err != nil {
				t.Fatal(err)
			}
			myc, err := mysql.NewConnector(mc)
			if err != nil {
				t.Fatal(err)
			}
			fail, execs := new(atomic.Int32), new(atomic.Int32)
			db := newDB(r, newSQLBackendFor(badConnConnector{myc, fail, execs}, r))
			defer db.Close()
			ctx := t.Context()

			fail.Store(1)
			if _, err := db.Exec(ctx, SQL("DO 1")); err != nil {
				t.Fatalf("one dead connection: %v", err)
			}
			if execs.Load() != 2 {
				t.Errorf("one dead connection: %d runs, want 2", execs.Load())
			}

			fail.Store(100)
			execs.Store(0)
			if _, err := db.Exec(ctx, SQL("DO 1")); !errors.Is(err, driver.ErrBadConn) || !errors.Is(err, ErrOperational) {
				t.Errorf("every connection dead: %v, want driver.ErrBadConn classified ErrOperational", err)
			}
			if execs.Load() != c.attempts {
				t.Errorf("every connection dead: %d runs, want %d", execs.Load(), c.attempts)
			}
			fail.Store(0)
		})
	}
}
