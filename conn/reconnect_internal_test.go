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

	"github.com/typedsql/typedsql/conn/config"

	"github.com/typedsql/typedsql/testcontainers"
)

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
			r, err := config.Resolve(Config{URL: tdb.URL, Pool: PoolConfig{AcquireTimeout: Duration(c.acquireTimeout)}})
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
