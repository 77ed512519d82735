package conn_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/testcontainers"
)

type oneInt struct {
	N int64 `db:"n"`
}

type oneText struct {
	V string `db:"v"`
}

// TestFetchPostgresScanPlansFollowTheColumns: a PostgreSQL fetch keeps pgx's scan plans
// between statements of the same shape; a column of the same name but another type, a type
// the connection does not know, another connection, or a type registered on the connection
// since, must each be scanned as pgx's own Rows.Scan would scan it.
func TestFetchPostgresScanPlansFollowTheColumns(t *testing.T) {
	tdb := testcontainers.Postgres(t)
	ctx := t.Context()
	tr := &spanTracer{t: t}
	pool, db := pgxDB(t, tdb, 2, conn.WithTracer(tr))
	mustExec(t, db, "CREATE TYPE mood AS ENUM ('calm', 'glad')")

	// The same column name, in int2, int4 and int8 by turns: a plan for the last one would
	// misread the next one's bytes.
	for i := range 9 {
		typ := [...]string{"int2", "int4", "int8"}[i%3]
		n, err := conn.One[oneInt](ctx, db, conn.SQL("SELECT $1::"+typ+" AS n"), i)
		if err != nil || n.N != int64(i) {
			t.Fatalf("%d as %s: %+v, %v", i, typ, n, err)
		}
	}
	// A value the kept plan cannot scan fails as pgx's Scan fails: a ScanError naming the
	// column, and the statement's trace ends with the error.
	var se *conn.ScanError
	_, err := conn.One[oneInt](ctx, db, conn.SQL("SELECT NULL::int8 AS n"))
	var argErr pgx.ScanArgError
	if !errors.As(err, &se) || se.Column != "n" || !errors.As(err, &argErr) {
		t.Errorf("NULL into int64: %v; want a ScanError naming column n", err)
	}
	if end := tr.ends[len(tr.ends)-1]; !errors.As(end.Err, &argErr) || end.Rows != 1 {
		t.Errorf("the failed scan's trace ended with %+v; want its error", end)
	}
	// text, varchar and an enum whose OID pgx's type map does not know (so pgx's Rows.Scan
	// does the scan).
	for i := range 6 {
		typ := [...]string{"text", "varchar", "mood"}[i%3]
		v, err := conn.One[oneText](ctx, db, conn.SQL("SELECT 'glad'::"+typ+" AS v"))
		if err != nil || v.V != "glad" {
			t.Fatalf("%s: %+v, %v", typ, v, err)
		}
	}

	// Two connections by turns, each with its own type map: a type registered on one of
	// them changes what that one scans, and only that one.
	held, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	held.Conn().TypeMap().RegisterType(&pgtype.Type{Name: "int8", OID: pgtype.Int8OID, Codec: plusThousandCodec{}})
	err = db.WithConn(ctx, func(other context.Context) error {
		for i := range 4 {
			n, err := conn.One[oneInt](other, db, conn.SQL("SELECT 7::int8 AS n"))
			if err != nil || n.N != 7 {
				t.Errorf("on the connection without the new type: %+v, %v", n, err)
			}
			if i == 1 {
				held.Release() // now the pool lends it to statements outside the block
			}
			if i >= 1 {
				n, err := conn.One[oneInt](ctx, db, conn.SQL("SELECT 7::int8 AS n"))
				if err != nil || n.N != 1007 {
					t.Errorf("on the connection with the new type: %+v, %v; want 1007", n, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A type registered on a connection after its plans were made: the next fetch on it
	// scans with the new codec, as pgx would.
	pool1, db1 := pgxDB(t, tdb, 1, conn.WithTracer(tr))
	if n, err := conn.One[oneInt](ctx, db1, conn.SQL("SELECT 7::int8 AS n")); err != nil || n.N != 7 {
		t.Fatalf("before registering: %+v, %v", n, err)
	}
	c, err := pool1.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Conn().TypeMap().RegisterType(&pgtype.Type{Name: "int8", OID: pgtype.Int8OID, Codec: plusThousandCodec{}})
	c.Release()
	if n, err := conn.One[oneInt](ctx, db1, conn.SQL("SELECT 7::int8 AS n")); err != nil || n.N != 1007 {
		t.Errorf("after registering: %+v, %v; want 1007", n, err)
	}
}

// pgxDB opens a pgxpool of maxConns connections on tdb and a DB on it with opts.
func pgxDB(t *testing.T, tdb *testcontainers.Database, maxConns int32, opts ...conn.Option) (*pgxpool.Pool, *conn.DB) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	db, err := postgres.FromPool(pool, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return pool, db
}

// plusThousandCodec is int8 read back with 1000 added, to tell its plans from pgx's own.
type plusThousandCodec struct{ pgtype.Int8Codec }

func (c plusThousandCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	next := c.Int8Codec.PlanScan(m, oid, format, target)
	if next == nil {
		return nil
	}
	return plusThousandPlan{next}
}

type plusThousandPlan struct{ next pgtype.ScanPlan }

func (p plusThousandPlan) Scan(src []byte, dst any) error {
	if err := p.next.Scan(src, dst); err != nil {
		return err
	}
	if n, ok := dst.(*int64); ok {
		*n += 1000
	}
	return nil
}
