package conn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// openT opens the harness database through conn and closes it when the test ends.
func openT(t *testing.T, db *testcontainers.Database, opts ...conn.Option) *conn.DB {
	t.Helper()
	return openURL(t, db.URL, opts...)
}

func openURL(t *testing.T, url string, opts ...conn.Option) *conn.DB {
	t.Helper()
	d, err := conn.Open(t.Context(), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

func mustExec(t *testing.T, db *conn.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Exec(t.Context(), conn.SQL(sql), args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestOpenConnectClose(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db, err := conn.Open(ctx, tdb.URL)
		if err != nil {
			t.Fatal(err)
		}
		if got := db.Stats().NewConns; got != 0 {
			t.Errorf("Open made %d connections; it must not connect", got)
		}
		if err := db.Connect(ctx); err != nil {
			t.Fatal(err)
		}
		if got := db.Stats().TotalConns; got != 1 {
			t.Errorf("after Connect, %d connections open; want 1", got)
		}
		var one int
		if err := db.QueryRow(ctx, conn.SQL("SELECT 1")).Scan(&one); err != nil || one != 1 {
			t.Fatalf("SELECT 1 = %d, %v", one, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(ctx, conn.SQL("SELECT 1"))
		if !errors.Is(err, conn.ErrClosed) || !errors.Is(err, conn.ErrInterface) {
			t.Errorf("statement after Close: %v; want ErrClosed (an ErrInterface)", err)
		}
		if err := db.Connect(ctx); !errors.Is(err, conn.ErrClosed) {
			t.Errorf("Connect after Close: %v; want ErrClosed", err)
		}
		if err := db.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}

// TestCloseWaitsForConnectionsInUse: Close returns only once a result being read and a pinned
// connection are given back, and refuses new statements meanwhile.
func TestCloseWaitsForConnectionsInUse(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db, err := conn.Open(ctx, tdb.URL)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(ctx, conn.SQL("SELECT 1 UNION ALL SELECT 2"))
		if err != nil {
			t.Fatal(err)
		}
		pinned := make(chan struct{})
		unpin := make(chan struct{})
		go db.WithConn(ctx, func(ctx context.Context) error {
			close(pinned)
			<-unpin
			return nil
		})
		<-pinned
		closed := make(chan error, 1)
		go func() { closed <- db.Close() }()
		select {
		case err := <-closed:
			t.Fatalf("Close returned (%v) while two connections were in use", err)
		case <-time.After(100 * time.Millisecond):
		}
		if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrClosed) {
			t.Errorf("statement while closing: %v; want ErrClosed", err)
		}
		for rows.Next() { // the result in flight still reads to its end
		}
		if err := rows.Err(); err != nil {
			t.Errorf("reading while closing: %v", err)
		}
		select {
		case err := <-closed:
			t.Fatalf("Close returned (%v) while a pinned connection was in use", err)
		case <-time.After(50 * time.Millisecond):
		}
		close(unpin)
		select {
		case err := <-closed:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not return after the connections came back")
		}
	})
}

func TestConnectEagerlyReportsBadDatabase(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		cfg, err := conn.ParseURL(tdb.URL)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Database = "no_such_db_" + strings.ToLower(t.Name()[len(t.Name())-4:])
		if cfg.Adapter == "sqlite" {
			cfg.Database = t.TempDir() + "/missing-dir/x.db"
		}
		db, err := conn.OpenConfig(t.Context(), cfg, conn.ConnectEagerly())
		if err == nil {
			db.Close()
			t.Fatal("Open with a missing database succeeded")
		}
		if !errors.Is(err, conn.ErrOperational) {
			t.Errorf("missing database: %v; want ErrOperational", err)
		}
		t.Log(err)
	})
}

// TestDriverArgs: URL parameters conn does not know reach the driver: application_name for
// pgx, charset for go-sql-driver/mysql, _time_format for modernc.org/sqlite (whose default
// here is SQLite's own form, checked too).
func TestDriverArgs(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		var arg, check, want string
		switch tdb.Engine {
		case testcontainers.EnginePostgres:
			arg, check, want = "application_name=typedsql-args", "SELECT current_setting('application_name')", "typedsql-args"
		case testcontainers.EngineMySQL:
			arg, check, want = "charset=latin1", "SELECT @@character_set_client", "latin1"
		default:
			arg, check, want = "_time_format=datetime", "SELECT CAST(? AS TEXT)", "2024-01-02 03:04:05"
		}
		db := openURL(t, tdb.URL+sep(tdb.URL)+arg)
		var args []any
		if tdb.Engine == testcontainers.EngineSQLite {
			args = append(args, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
		}
		got, err := conn.Scalar[string](ctx, db, conn.SQL(check), args...)
		if err != nil || got != want {
			t.Errorf("%s with ?%s = %q, %v; want %q", check, arg, got, err, want)
		}
		if tdb.Engine == testcontainers.EngineSQLite {
			got, err = conn.Scalar[string](ctx, openT(t, tdb), conn.SQL(check), args...)
			if want := "2024-01-02 03:04:05+00:00"; err != nil || got != want {
				t.Errorf("default time format: %q, %v; want %q", got, err, want)
			}
		}
	})
}

type dialectProbeTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

// The harness's URL for a MariaDB server says mariadb://, so conn speaks MariaDB to it: it
// used to say mysql://, and then RETURNING was refused and FOR SHARE was a syntax error.
func TestHarnessURLPicksTheServersDialect(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb)
		want := map[bool]string{true: "mariadb", false: string(tdb.Engine)}[tdb.MariaDB()]
		if got := db.Dialect().Name(); got != want {
			t.Fatalf("dialect %s for server %s, want %s", got, tdb.Version, want)
		}
		mustExec(t, db, "CREATE TABLE probe (id BIGINT PRIMARY KEY)")
		probe := expr.NewTable[dialectProbeTable]("probe")
		err := db.Atomic(t.Context(), func(ctx context.Context) error {
			if _, err := db.Exec(ctx, builder.InsertInto(probe).Values(probe.ID.Set(7))); err != nil {
				return err
			}
			if !db.Dialect().Caps().ForUpdate {
				return nil // SQLite: no row locks
			}
			_, err := conn.All[int64](ctx, db, builder.Select(probe.ID).From(probe).ForShare())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !db.Dialect().Caps().InsertReturning {
			return // MySQL: no RETURNING
		}
		id, err := conn.One[int64](t.Context(), db, builder.InsertInto(probe).Values(probe.ID.Set(8)).Returning(probe.ID))
		if err != nil || id != 8 {
			t.Errorf("INSERT ... RETURNING: %d, %v", id, err)
		}
	})
}
