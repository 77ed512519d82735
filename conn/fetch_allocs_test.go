package conn_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// oneAllowance is how many allocations per call conn.One may make beyond the raw driver's
// QueryRow and Scan of the same row, per engine.
//
// On PostgreSQL conn makes four fewer: it adds none of its own (the result set, the scanner
// and its destinations are reused, and the column names are compared in place), and it keeps
// pgx's scan plans from one statement to the next where pgx's Rows.Scan makes them for every
// result (two lists, and the plans of timestamptz into time.Time). Should pgx itself stop
// planning per result, the raw side drops by those four and this allowance goes to 0.
//
// On MySQL/MariaDB and SQLite the one allowed is the slice of the call's variadic arguments:
// database/sql keeps it on the caller's stack, while conn hands it on through its backend
// (pgx's QueryRow allocates it too, so on PostgreSQL both sides pay it).
var oneAllowance = map[testcontainers.Engine]float64{
	testcontainers.EnginePostgres: -4,
	testcontainers.EngineMySQL:    1,
	testcontainers.EngineSQLite:   1,
}

// TestOneAllocsMatchRawDriver holds conn's one-row fetch to the cost of the raw driver: one
// row by primary key, scanned into a struct, through conn.One of a hand-written statement (so
// the builder's own allocations stay out of it) against pgxpool's QueryRow().Scan on
// PostgreSQL and database/sql's QueryRowContext().Scan on MySQL/MariaDB and SQLite, on the
// same database and query. The raw side scans into destinations made once, as conn's do, so
// that both sides count only the work of one statement.
func TestOneAllocsMatchRawDriver(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops objects at random, so conn's reuse does not show")
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openT(t, tdb)
		mustExec(t, db, ddl(db,
			`CREATE TABLE alloc_users (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at timestamptz NOT NULL)`,
			`CREATE TABLE alloc_users (id bigint PRIMARY KEY, name varchar(100) NOT NULL, email varchar(100) NOT NULL, active boolean NOT NULL, created_at datetime(6) NOT NULL)`,
			`CREATE TABLE alloc_users (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at datetime NOT NULL)`))
		insert := q(db, "INSERT INTO alloc_users VALUES (?, ?, ?, ?, ?)")
		at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		for id := int64(1); id <= 3; id++ {
			if _, err := db.Exec(ctx, insert, id, "ann", "ann@example.com", true, at); err != nil {
				t.Fatal(err)
			}
		}
		text := string(q(db, "SELECT id, name, email, active, created_at FROM alloc_users WHERE id = ?"))
		// Made into a Statement once: converting a string to an interface allocates, and that
		// belongs to the caller's code, not to conn.
		var stmt conn.Statement = conn.SQL(text)
		const id = 2 // boxing a small integer is free, on both sides
		// The measured calls run on a context that is never cancelled. With a cancellable one
		// each statement starts a goroutine to watch it (database/sql's Rows.awaitDone and
		// modernc's interrupt watcher; pgx registers a context.AfterFunc), and whether starting
		// a goroutine allocates depends on whether the scheduler has an exited one at hand to
		// reuse: on a loaded machine the watchers pile up before they run, and a side measured
		// then counts one allocation more per call. Both sides would pay them alike; leaving
		// them out makes the count exact.
		ctx = context.Background()

		typed := func() {
			u, err := conn.One[benchUser](ctx, db, stmt, id)
			if err != nil || u.ID != id || u.Name != "ann" || !u.CreatedAt.Equal(at) {
				t.Fatalf("conn.One: %+v, %v", u, err)
			}
		}
		var u benchUser
		dest := []any{&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt}
		var raw func()
		if tdb.Engine == testcontainers.EnginePostgres {
			pool, err := pgxpool.New(ctx, tdb.URL)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pool.Close)
			raw = func() {
				if err := pool.QueryRow(ctx, text, id).Scan(dest...); err != nil || u.ID != id {
					t.Fatalf("pgxpool: %+v, %v", u, err)
				}
			}
		} else {
			raw = func() {
				if err := tdb.SQL.QueryRowContext(ctx, text, id).Scan(dest...); err != nil || u.ID != id {
					t.Fatalf("database/sql: %+v, %v", u, err)
				}
			}
		}
		// Warm both: a pooled connection with the statement prepared, and conn's scanner
		// with its plan for this result.
		for range 20 {
			typed()
			raw()
		}
		const runs = 2000
		rawAllocs := testing.AllocsPerRun(runs, raw)
		typedAllocs := testing.AllocsPerRun(runs, typed)
		t.Logf("allocations per call: conn.One %v, raw driver %v", typedAllocs, rawAllocs)
		if limit := rawAllocs + oneAllowance[tdb.Engine]; typedAllocs > limit {
			t.Errorf("conn.One allocates %v times per call, the raw driver %v: want at most %v", typedAllocs, rawAllocs, limit)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections in use after the fetches", s.InUse)
		}
	})
}
