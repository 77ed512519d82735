package conn_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// The fetch benchmarks: typedsql (a builder statement through conn.One / conn.All into a
// struct) beside the raw driver doing the same work by hand, on the same database in one run:
// pgxpool's QueryRow().Scan and a Query/Next/Scan loop on PostgreSQL, database/sql on
// MySQL/MariaDB and SQLite. The typedsql side builds and renders its statement on every
// iteration, as an application does.
//
//	go test ./conn -run '^$' -bench BenchmarkFetch -benchmem -count 6

type benchUsersTable struct {
	expr.Table
	ID        expr.Column[int64]     `db:"id"`
	Name      expr.Column[string]    `db:"name"`
	Email     expr.Column[string]    `db:"email"`
	Active    expr.Column[bool]      `db:"active"`
	CreatedAt expr.Column[time.Time] `db:"created_at"`
}

var benchUsers = expr.NewTable[benchUsersTable]("bench_users")

type benchUser struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	Email     string    `db:"email"`
	Active    bool      `db:"active"`
	CreatedAt time.Time `db:"created_at"`
}

const benchRows = 1000

// benchEnv is one engine's database, opened through typedsql and through the raw driver.
type benchEnv struct {
	db  *conn.DB
	pgx *pgxpool.Pool // PostgreSQL
	sql *sql.DB       // MySQL/MariaDB, SQLite
	// the raw statements, in the engine's placeholder form
	oneSQL, allSQL string
}

func setupBench(b *testing.B, e testcontainers.Engine) *benchEnv {
	ctx := context.Background()
	tdb := testcontainers.Open(b, e)
	db, err := conn.Open(ctx, tdb.URL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	env := &benchEnv{db: db}
	create := map[testcontainers.Engine]string{
		testcontainers.EnginePostgres: `CREATE TABLE bench_users (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at timestamptz NOT NULL)`,
		testcontainers.EngineMySQL:    `CREATE TABLE bench_users (id bigint PRIMARY KEY, name varchar(100) NOT NULL, email varchar(100) NOT NULL, active boolean NOT NULL, created_at datetime(6) NOT NULL)`,
		testcontainers.EngineSQLite:   `CREATE TABLE bench_users (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at datetime NOT NULL)`,
	}[e]
	if _, err := db.Exec(ctx, conn.SQL(create)); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	u := benchUsers
	for start := 1; start <= benchRows; start += 250 {
		ins := builder.InsertInto(u)
		for i := int64(start); i < int64(start+250); i++ {
			ins.Values(u.ID.Set(i), u.Name.Set(fmt.Sprintf("user %d", i)), u.Email.Set(fmt.Sprintf("user%d@example.com", i)),
				u.Active.Set(i%3 != 0), u.CreatedAt.Set(at.Add(time.Duration(i)*time.Minute)))
		}
		if _, err := db.Exec(ctx, ins); err != nil {
			b.Fatal(err)
		}
	}
	// Fresh statistics, so the planner's choice does not change partway through the run
	// when autovacuum gets to the new table (PostgreSQL would seq-scan it until then).
	analyze := map[testcontainers.Engine]string{
		testcontainers.EnginePostgres: "ANALYZE bench_users",
		testcontainers.EngineMySQL:    "ANALYZE TABLE bench_users",
		testcontainers.EngineSQLite:   "ANALYZE",
	}[e]
	if _, err := db.Exec(ctx, conn.SQL(analyze)); err != nil {
		b.Fatal(err)
	}
	env.oneSQL, _, _ = benchOne(1).Build(db.Dialect())
	env.allSQL, _, _ = benchAll().Build(db.Dialect())
	if e == testcontainers.EnginePostgres {
		env.pgx, err = pgxpool.New(ctx, tdb.URL)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(env.pgx.Close)
	} else {
		env.sql, err = sql.Open(tdb.DriverName, tdb.DSN)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { env.sql.Close() })
	}
	return env
}

func benchOne(id int64) *builder.SelectStmt {
	u := benchUsers
	return builder.Select(u.ID, u.Name, u.Email, u.Active, u.CreatedAt).From(u).Where(u.ID.Eq(id))
}

func benchAll() *builder.SelectStmt {
	u := benchUsers
	return builder.Select(u.ID, u.Name, u.Email, u.Active, u.CreatedAt).From(u).OrderBy(u.ID.Asc()).Limit(benchRows)
}

// benchRuns counts BenchmarkFetch runs (-count), to alternate which side goes first.
var benchRuns atomic.Int64

func BenchmarkFetch(b *testing.B) {
	// Whichever side runs first after the table is loaded meets a busier server (WAL being
	// flushed, statistics being written), so the order alternates from one -count run to the
	// next, and both sides warm up first.
	rawFirst := benchRuns.Add(1)%2 == 0
	pair := func(b *testing.B, typed, raw func(*testing.B)) {
		if rawFirst {
			b.Run("impl=raw", raw)
			b.Run("impl=typedsql", typed)
			return
		}
		b.Run("impl=typedsql", typed)
		b.Run("impl=raw", raw)
	}
	for _, e := range testcontainers.Engines {
		b.Run("db="+string(e), func(b *testing.B) {
			env := setupBench(b, e)
			env.warmUp(b)
			b.Run("q=one", func(b *testing.B) { pair(b, env.oneTyped, env.oneRaw) })
			b.Run("q=rows1000", func(b *testing.B) { pair(b, env.allTyped, env.allRaw) })
		})
	}
}

// warmUp runs each side a few times so that both pools hold a connection with the statements
// prepared, and the server has the table's pages cached.
func (env *benchEnv) warmUp(b *testing.B) {
	ctx := context.Background()
	for i := range 200 {
		id := int64(i%benchRows + 1)
		env.typedOne(b, ctx, id)
		env.rawOne(b, ctx, id)
	}
	for range 5 {
		if _, err := conn.All[benchUser](ctx, env.db, benchAll()); err != nil {
			b.Fatal(err)
		}
		var err error
		if env.pgx != nil {
			_, err = rawAllPgx(ctx, env.pgx, env.allSQL)
		} else {
			_, err = rawAllSQL(ctx, env.sql, env.allSQL)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func (env *benchEnv) oneTyped(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	var i int64
	for b.Loop() {
		env.typedOne(b, ctx, i%benchRows+1)
		i++
	}
}

// typedOne fetches user id through typedsql, building the statement as an application does.
func (env *benchEnv) typedOne(b *testing.B, ctx context.Context, id int64) {
	u, err := conn.One[benchUser](ctx, env.db, benchOne(id))
	if err != nil || u.ID != id {
		b.Fatal(u.ID, err)
	}
}

func (env *benchEnv) oneRaw(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	var i int64
	for b.Loop() {
		env.rawOne(b, ctx, i%benchRows+1)
		i++
	}
}

// rawOne fetches user id through the raw driver, as a hand-written caller does.
func (env *benchEnv) rawOne(b *testing.B, ctx context.Context, id int64) {
	var u benchUser
	var err error
	if env.pgx != nil {
		err = env.pgx.QueryRow(ctx, env.oneSQL, id).Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt)
	} else {
		err = env.sql.QueryRowContext(ctx, env.oneSQL, id).Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt)
	}
	if err != nil || u.ID != id {
		b.Fatal(u.ID, err)
	}
}

func (env *benchEnv) allTyped(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		us, err := conn.All[benchUser](ctx, env.db, benchAll())
		if err != nil || len(us) != benchRows {
			b.Fatal(len(us), err)
		}
	}
}

func (env *benchEnv) allRaw(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		var us []benchUser
		var err error
		if env.pgx != nil {
			us, err = rawAllPgx(ctx, env.pgx, env.allSQL)
		} else {
			us, err = rawAllSQL(ctx, env.sql, env.allSQL)
		}
		if err != nil || len(us) != benchRows {
			b.Fatal(len(us), err)
		}
	}
}

// reportCPU adds cpu-ns/op: the process's CPU time per operation, the client-side cost that
// wall time mixes with the server's and the machine's other load.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; start > 0 && b.N > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func rawAllPgx(ctx context.Context, pool *pgxpool.Pool, q string) ([]benchUser, error) {
	rows, err := pool.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []benchUser
	var u benchUser // declared once: inside the loop it would escape to the heap on every row
	for rows.Next() {
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt); err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

func rawAllSQL(ctx context.Context, db *sql.DB, q string) ([]benchUser, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []benchUser
	var u benchUser // declared once: inside the loop it would escape to the heap on every row
	for rows.Next() {
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt); err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}
