package conn_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

type spanKey struct{}

// spanTracer records events as an OpenTelemetry adapter would see them: every start returns a
// context carrying a span id, and every end must receive that same context.
type spanTracer struct {
	mu     sync.Mutex
	next   int
	events []string
	starts []conn.TraceQueryStartData
	ends   []conn.TraceQueryEndData
	t      *testing.T
}

func (s *spanTracer) open(ctx context.Context, name string) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	s.events = append(s.events, "start "+name)
	return context.WithValue(ctx, spanKey{}, s.next)
}

func (s *spanTracer) close(ctx context.Context, name string) {
	if _, ok := ctx.Value(spanKey{}).(int); !ok {
		s.t.Errorf("end of %s without the context its start returned", name)
	}
	s.mu.Lock()
	s.events = append(s.events, "end "+name)
	s.mu.Unlock()
}

func (s *spanTracer) TraceQueryStart(ctx context.Context, d conn.TraceQueryStartData) context.Context {
	s.mu.Lock()
	s.starts = append(s.starts, d)
	s.mu.Unlock()
	return s.open(ctx, "query")
}

func (s *spanTracer) TraceQueryEnd(ctx context.Context, d conn.TraceQueryEndData) {
	s.mu.Lock()
	s.ends = append(s.ends, d)
	s.mu.Unlock()
	s.close(ctx, "query")
}

func (s *spanTracer) TraceAcquireStart(ctx context.Context, _ conn.TraceAcquireStartData) context.Context {
	return s.open(ctx, "acquire")
}

func (s *spanTracer) TraceAcquireEnd(ctx context.Context, d conn.TraceAcquireEndData) {
	if d.Err != nil {
		s.t.Errorf("acquire failed: %v", d.Err)
	}
	s.close(ctx, "acquire")
}

func (s *spanTracer) TraceTxStart(ctx context.Context, d conn.TraceTxStartData) context.Context {
	return s.open(ctx, d.Op.String())
}

func (s *spanTracer) TraceTxEnd(ctx context.Context, d conn.TraceTxEndData) {
	s.close(ctx, d.Op.String())
}

func TestTracer(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		mustExecHarness(t, tdb, "CREATE TABLE traced (n int)")
		tr := &spanTracer{t: t}
		db := openT(t, tdb, conn.WithTracer(tr))
		ctx := t.Context()
		insert := q(db, "INSERT INTO traced VALUES (?)")
		err := db.Atomic(ctx, func(ctx context.Context) error {
			if _, err := db.Exec(ctx, insert, 1); err != nil {
				return err
			}
			db.Atomic(ctx, func(ctx context.Context) error {
				db.Exec(ctx, insert, 2)
				return errors.New("undo")
			})
			rows, err := db.Query(ctx, conn.SQL("SELECT n FROM traced"))
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return rows.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"start acquire", "end acquire",
			"start BEGIN", "end BEGIN",
			"start query", "end query",
			"start SAVEPOINT", "end SAVEPOINT",
			"start query", "end query",
			"start ROLLBACK TO SAVEPOINT", "end ROLLBACK TO SAVEPOINT",
			"start query", "end query",
			"start COMMIT", "end COMMIT",
		}
		got := tr.events
		// Some engines release a savepoint after rolling back to it.
		var filtered []string
		for _, e := range got {
			if !strings.HasSuffix(e, "RELEASE SAVEPOINT") {
				filtered = append(filtered, e)
			}
		}
		if strings.Join(filtered, ", ") != strings.Join(want, ", ") {
			t.Errorf("events:\n got %v\nwant %v", filtered, want)
		}
		if len(tr.starts) != 3 || len(tr.ends) != 3 {
			t.Fatalf("%d query starts, %d ends", len(tr.starts), len(tr.ends))
		}
		s := tr.starts[0]
		wantSystem := map[testcontainers.Engine]string{
			testcontainers.EnginePostgres: "postgresql", testcontainers.EngineMySQL: "mysql", testcontainers.EngineSQLite: "sqlite",
		}[tdb.Engine]
		if tdb.MariaDB() {
			wantSystem = "mariadb" // OpenTelemetry's db.system for MariaDB
		}
		if s.Endpoint == nil || s.Endpoint.System != wantSystem || s.Endpoint.Database == "" {
			t.Errorf("endpoint %+v, want system %s", s.Endpoint, wantSystem)
		}
		if s.Args != nil {
			t.Errorf("arguments given to the tracer without LogArguments: %v", s.Args)
		}
		if !strings.Contains(s.SQL, "INSERT INTO traced") {
			t.Errorf("start SQL %q", s.SQL)
		}
		if e := tr.ends[0]; e.Rows != 1 || e.Err != nil || e.Duration <= 0 || e.Retried {
			t.Errorf("end of the INSERT: %+v", e)
		}
		if e := tr.ends[2]; e.Rows != 1 || e.Err != nil {
			t.Errorf("end of the SELECT (one row read): %+v", e)
		}

		// With LogArguments the tracer gets the values.
		tr2 := &spanTracer{t: t}
		db2 := openT(t, tdb, conn.WithTracer(tr2), conn.LogArguments())
		db2.Exec(ctx, insert, 3)
		if len(tr2.starts) != 1 || len(tr2.starts[0].Args) != 1 || tr2.starts[0].Args[0] != 3 {
			t.Errorf("with LogArguments the tracer got %+v", tr2.starts)
		}
	})
}
