package conn_test

import (
	"errors"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// A statement outside any block whose reply is lost with its connection may have run: it is
// not run again (that doubled an INSERT on PostgreSQL, where pgx reported the lost reply as
// safe to retry), and the error says the connection failed. One that never reached the server
// still runs once more (see TestReconnect...).
func TestLostReplyIsNotRetried(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			mustExecHarness(t, tdb, "CREATE TABLE lost (n int)")
			t.Log("SQLite has no connection to lose; the table is here so that every engine runs the test")
			return
		}
		mustExecHarness(t, tdb, "CREATE TABLE lost (n int)")
		proxy, url := newFaultProxy(t, tdb.URL)
		db := openURL(t, withParams(url, "pool_max_conns=2"))
		ctx := t.Context()
		mustExec(t, db, "SELECT 1") // a pooled connection through the proxy
		for _, stmt := range []string{"INSERT INTO lost VALUES (1) /* lose-the-reply */", "UPDATE lost SET n = n + 1 /* lose-the-reply */"} {
			proxy.armOn("lose-the-reply", loseReply, false)
			_, err := db.Exec(ctx, conn.SQL(stmt))
			if !proxy.didFire() {
				t.Fatalf("%s: the proxy never saw the statement", stmt)
			}
			if err == nil || !errors.Is(err, conn.ErrOperational) {
				t.Errorf("%s: %v; want an operational error (the connection was lost)", stmt, err)
			}
			t.Logf("%s: %v", stmt, err)
		}
		// The same through Query: a statement with a result (INSERT ... RETURNING) whose reply
		// is lost is not run again at the first row either. (pgx sends a query's text in a
		// Parse message, before it runs: the simple protocol sends it to be run at once.)
		qdb := db
		if tdb.Engine == testcontainers.EnginePostgres {
			qdb = openURL(t, withParams(url, "default_query_exec_mode=simple_protocol"))
			mustExec(t, qdb, "SELECT 1")
		}
		proxy.armOn("lose-the-reply", loseReply, false)
		_, err := conn.All[int64](ctx, qdb, conn.SQL("INSERT INTO lost VALUES (10) RETURNING n /* lose-the-reply */"))
		if !proxy.didFire() || err == nil || !errors.Is(err, conn.ErrOperational) {
			t.Errorf("INSERT ... RETURNING with its reply lost: %v (proxy fired: %v); want an operational error", err, proxy.didFire())
		}
		var n, sum int
		if err := tdb.SQL.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM lost").Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		if n != 2 || sum != 12 {
			t.Errorf("%d rows summing to %d; want 2 rows, 2 and 10: each statement ran exactly once", n, sum)
		}
	})
}
