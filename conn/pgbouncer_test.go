package conn_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// pgBouncerLoad runs 16 goroutines of mixed load through db for d: each inserts rows of its
// own, reads each back by key and checks it, reads its count in a transaction, and runs
// statements of several shapes and argument types. It returns the errors and the wrong
// results.
func pgBouncerLoad(db *conn.DB, d time.Duration) (stmts, errs, wrong int64, first error) {
	ctx := context.Background()
	var nStmts, nErrs, nWrong atomic.Int64
	var once sync.Once
	fail := func(err error) {
		nErrs.Add(1)
		once.Do(func() { first = err })
	}
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				key := fmt.Sprintf("g%d-%d", g, i)
				if _, err := db.Exec(ctx, conn.SQL("INSERT INTO pgb (k, g, v) VALUES ($1, $2, $3)"), key, g, i); err != nil {
					fail(err)
					continue
				}
				v, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT v FROM pgb WHERE k = $1"), key)
				if err != nil {
					fail(err)
				} else if v != int64(i) {
					nWrong.Add(1)
				}
				s, err := conn.Scalar[string](ctx, db, conn.SQL("SELECT $1::text || '/' || $2::int"), key, i)
				if err != nil {
					fail(err)
				} else if s != fmt.Sprintf("%s/%d", key, i) {
					nWrong.Add(1)
				}
				err = db.Atomic(ctx, func(ctx context.Context) error {
					n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT count(*) FROM pgb WHERE g = $1"), g)
					if err == nil && n != int64(i+1) {
						nWrong.Add(1)
					}
					return err
				})
				if err != nil {
					fail(err)
				}
				nStmts.Add(5)
			}
		})
	}
	wg.Wait()
	return nStmts.Load(), nErrs.Load(), nWrong.Load(), first
}

// Behind PgBouncer in transaction pooling (16 clients over 4 server connections),
// pooler=pgbouncer picks a safe exec mode: 10 s of mixed load from 16 goroutines, 0 errors
// and 0 wrong results. pgx's default mode fails there, and the unsafe modes are refused.
func TestPgBouncerTransactionPooling(t *testing.T) {
	tdb := testcontainers.Postgres(t)
	pgb := testcontainers.StartPgBouncer(t, tdb.URL, testcontainers.PgBouncerOptions{PoolSize: 4})
	ctx := t.Context()
	direct := openURL(t, tdb.URL)
	mustExecAll(t, direct, "CREATE TABLE pgb (k text PRIMARY KEY, g int NOT NULL, v bigint NOT NULL)")

	for _, mode := range []string{"describe_exec", "cache_statement"} {
		_, err := conn.Open(ctx, withParams(pgb.URL, "pooler=pgbouncer&default_query_exec_mode="+mode))
		if err == nil || !strings.Contains(err.Error(), "unsafe behind a pooler") {
			t.Errorf("pooler=pgbouncer with %s: %v; want it refused", mode, err)
		}
	}

	// Control: pgx's default (cache_statement) without pooler=pgbouncer fails behind PgBouncer
	// 1.18 (prepared statement names collide on shared server connections).
	if !strings.HasPrefix(pgb.Version, "1.1") && !strings.HasPrefix(pgb.Version, "1.20") {
		t.Logf("PgBouncer %s keeps prepared statements apart only with max_prepared_statements; control skipped", pgb.Version)
	} else {
		plain := openURL(t, withParams(pgb.URL, "pool_max_conns=16"))
		_, errs, _, first := pgBouncerLoad(plain, time.Second)
		t.Logf("control, pgx's default exec mode behind PgBouncer %s: %d errors, first: %v", pgb.Version, errs, first)
		if errs == 0 {
			t.Error("the control run had no error: the load does not exercise the pooler")
		}
		if _, err := direct.Exec(ctx, conn.SQL("TRUNCATE pgb")); err != nil {
			t.Fatal(err)
		}
	}

	db := openURL(t, withParams(pgb.URL, "pooler=pgbouncer&pool_max_conns=16"))
	stmts, errs, wrong, first := pgBouncerLoad(db, 10*time.Second)
	t.Logf("pooler=pgbouncer behind PgBouncer %s: 16 goroutines, 10 s, %d statements, %d errors, %d wrong results", pgb.Version, stmts, errs, wrong)
	if errs != 0 || wrong != 0 {
		t.Errorf("%d errors (first: %v), %d wrong results; want none", errs, first, wrong)
	}
	if stmts == 0 {
		t.Error("no statement ran")
	}
	if _, err := conn.Open(ctx, withParams(pgb.URL, "pooler=pgcat")); err == nil || !strings.Contains(err.Error(), "pgbouncer") {
		t.Errorf("pooler=pgcat: %v; want an error naming the poolers conn knows", err)
	}
}
