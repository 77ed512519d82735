package bench

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/testcontainers"
)

// The end-to-end benchmark: the same four operations, through every library, on one fresh
// database per engine (PostgreSQL and MariaDB from the harness's URLs, skipped without them;
// SQLite in a temporary file, always):
//
//	q=one      one row by primary key into a struct
//	q=rows1000 the table's 1,000 rows, by key, into a slice of structs
//	q=insert   one row inserted (into a table of its own, with a generated key)
//	q=tx10     a transaction of 10 UPDATE statements, committed
//
// The raw driver is the base of each engine's ratios: pgx through pgxpool on PostgreSQL
// (QueryRow().Scan and a Next/Scan loop), database/sql elsewhere; database/sql with a
// hand-written scan loop also runs on PostgreSQL, through pgx's stdlib driver, which sqlx,
// bob, bun and gorm use there too. The libraries that take a *sql.DB share one pool (but bun
// on PostgreSQL: see bunImpl).

// User is the row: the benchmark's table, bench_users, holds 1,000 of them.
type User struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	Email     string    `db:"email"`
	Active    bool      `db:"active"`
	CreatedAt time.Time `db:"created_at"`
}

const e2eRows = 1000

var e2eEpoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// seedUser is row id of the table as set up.
func seedUser(id int64) User {
	return User{
		ID: id, Name: fmt.Sprintf("user %d", id), Email: fmt.Sprintf("user%d@example.com", id),
		Active: id%3 != 0, CreatedAt: e2eEpoch.Add(time.Duration(id) * time.Minute),
	}
}

// seedEmails holds each row's email as set up, which q=tx10 writes again (so the table stays
// as it was set up), made once so that no library pays for formatting them.
var seedEmails = func() []string {
	e := make([]string, e2eRows)
	for i := range e {
		e[i] = seedUser(int64(i + 1)).Email
	}
	return e
}()

// An e2eImpl is one library's way of doing the four operations. An operation it does not have
// on an engine is nil.
type e2eImpl struct {
	name string
	one  func(ctx context.Context, id int64) (User, error)
	// all returns how many rows it read and the i-th of them (for the equivalence test).
	all    func(ctx context.Context) (int, func(i int) User, error)
	insert func(ctx context.Context, u *User) error
	// tx10 sets emails[k] on row ids[k], for k in 0..9, in one transaction.
	tx10 func(ctx context.Context, ids *[10]int64, emails *[10]string) error
}

// e2eEnv is one engine's database, opened for every library.
type e2eEnv struct {
	engine testcontainers.Engine
	db     *testcontainers.Database
	sql    *sql.DB       // database/sql: the pool sql, sqlx, bob, bun and gorm share (see bunImpl)
	pgx    *pgxpool.Pool // PostgreSQL only
	// the statements of the hand-written implementations, in the engine's placeholder form
	oneSQL, allSQL, insertSQL, updateSQL string
}

// ph is the engine's n-th placeholder.
func (env *e2eEnv) ph(n int) string {
	if env.engine == testcontainers.EnginePostgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

var e2eDDL = map[testcontainers.Engine][]string{
	testcontainers.EnginePostgres: {
		`CREATE TABLE bench_users (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at timestamptz NOT NULL)`,
		`CREATE TABLE bench_inserts (id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at timestamptz NOT NULL)`,
	},
	testcontainers.EngineMySQL: {
		`CREATE TABLE bench_users (id bigint PRIMARY KEY, name varchar(100) NOT NULL, email varchar(100) NOT NULL, active boolean NOT NULL, created_at datetime(6) NOT NULL)`,
		`CREATE TABLE bench_inserts (id bigint AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL, email varchar(100) NOT NULL, active boolean NOT NULL, created_at datetime(6) NOT NULL)`,
	},
	testcontainers.EngineSQLite: {
		`CREATE TABLE bench_users (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at datetime NOT NULL)`,
		`CREATE TABLE bench_inserts (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, active boolean NOT NULL, created_at datetime NOT NULL)`,
	},
}

var e2eAnalyze = map[testcontainers.Engine]string{
	testcontainers.EnginePostgres: "ANALYZE bench_users",
	testcontainers.EngineMySQL:    "ANALYZE TABLE bench_users",
	testcontainers.EngineSQLite:   "ANALYZE",
}

// setupE2E makes a fresh database of engine e with the benchmark's tables and rows, and opens
// the raw pools on it.
func setupE2E(tb testing.TB, e testcontainers.Engine) *e2eEnv {
	tb.Helper()
	ctx := context.Background()
	env := &e2eEnv{engine: e, db: testcontainers.Open(tb, e)}
	var err error
	env.sql, err = sql.Open(env.db.DriverName, env.db.DSN)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { env.sql.Close() })
	for _, ddl := range e2eDDL[e] {
		if _, err := env.sql.ExecContext(ctx, ddl); err != nil {
			tb.Fatalf("%s: %v", ddl, err)
		}
	}
	// The rows, 250 a statement.
	for start := int64(1); start <= e2eRows; start += 250 {
		q := "INSERT INTO bench_users (id, name, email, active, created_at) VALUES "
		var args []any
		for id := start; id < start+250; id++ {
			if id > start {
				q += ", "
			}
			n := len(args)
			q += fmt.Sprintf("(%s, %s, %s, %s, %s)", env.ph(n+1), env.ph(n+2), env.ph(n+3), env.ph(n+4), env.ph(n+5))
			u := seedUser(id)
			args = append(args, u.ID, u.Name, u.Email, u.Active, u.CreatedAt)
		}
		if _, err := env.sql.ExecContext(ctx, q, args...); err != nil {
			tb.Fatal(err)
		}
	}
	// Fresh statistics, so that the planner's choice does not change partway through the run.
	if _, err := env.sql.ExecContext(ctx, e2eAnalyze[e]); err != nil {
		tb.Fatal(err)
	}
	const cols = "id, name, email, active, created_at"
	env.oneSQL = "SELECT " + cols + " FROM bench_users WHERE id = " + env.ph(1)
	env.allSQL = fmt.Sprintf("SELECT %s FROM bench_users ORDER BY id LIMIT %d", cols, e2eRows)
	env.insertSQL = fmt.Sprintf("INSERT INTO bench_inserts (name, email, active, created_at) VALUES (%s, %s, %s, %s)",
		env.ph(1), env.ph(2), env.ph(3), env.ph(4))
	env.updateSQL = "UPDATE bench_users SET email = " + env.ph(1) + " WHERE id = " + env.ph(2)
	if e == testcontainers.EnginePostgres {
		env.pgx, err = pgxpool.New(ctx, env.db.URL)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(env.pgx.Close)
	}
	return env
}

// impls opens every library on env, the raw driver (the base of the ratios) first.
func (env *e2eEnv) impls(tb testing.TB) []e2eImpl {
	var out []e2eImpl
	if env.pgx != nil {
		out = append(out, pgxImpl(env), pgxCollectImpl(env))
	}
	out = append(out, sqlImpl(env), sqlxImpl(env), bobImpl(tb, env), bunImpl(tb, env), gormImpl(tb, env), typedsqlImpl(tb, env))
	return out
}

// e2eRuns counts BenchmarkE2E's runs (-count), to rotate the order the libraries run in.
var e2eRuns atomic.Int64

func BenchmarkE2E(b *testing.B) {
	run := int(e2eRuns.Add(1))
	for _, e := range testcontainers.Engines {
		b.Run("db="+string(e), func(b *testing.B) {
			env := setupE2E(b, e)
			impls := env.impls(b)
			// Whichever library runs first after the set-up meets a busier server (WAL being
			// flushed, statistics written): the order rotates from one -count run to the next.
			k := run % len(impls)
			impls = append(slices.Clone(impls[k:]), impls[:k]...)
			ctx := context.Background()
			b.Run("q=one", func(b *testing.B) {
				for _, im := range impls {
					if im.one == nil {
						continue
					}
					b.Run("impl="+im.name, func(b *testing.B) {
						measure(b, func(i int) {
							id := int64(i%e2eRows + 1)
							u, err := im.one(ctx, id)
							if err != nil || u.ID != id {
								b.Fatal(u.ID, err)
							}
						})
					})
				}
			})
			b.Run("q=rows1000", func(b *testing.B) {
				for _, im := range impls {
					if im.all == nil {
						continue
					}
					b.Run("impl="+im.name, func(b *testing.B) {
						measure(b, func(int) {
							n, _, err := im.all(ctx)
							if err != nil || n != e2eRows {
								b.Fatal(n, err)
							}
						})
					})
				}
			})
			b.Run("q=insert", func(b *testing.B) {
				for _, im := range impls {
					if im.insert == nil {
						continue
					}
					b.Run("impl="+im.name, func(b *testing.B) {
						u := seedUser(1)
						measure(b, func(int) {
							if err := im.insert(ctx, &u); err != nil {
								b.Fatal(err)
							}
						})
					})
				}
			})
			b.Run("q=tx10", func(b *testing.B) {
				for _, im := range impls {
					if im.tx10 == nil {
						continue
					}
					b.Run("impl="+im.name, func(b *testing.B) {
						var ids [10]int64
						var emails [10]string
						measure(b, func(i int) {
							for k := range ids {
								ids[k] = int64((i*10+k)%e2eRows + 1)
								emails[k] = seedEmails[ids[k]-1]
							}
							if err := im.tx10(ctx, &ids, &emails); err != nil {
								b.Fatal(err)
							}
						})
					})
				}
			})
		})
	}
}

// measure runs op 20 times to warm up (a pooled connection, prepared statements, the server's
// caches), then b.N times measured, reporting allocations and the process's CPU time per op.
func measure(b *testing.B, op func(i int)) {
	for i := range 20 {
		op(i)
	}
	b.ReportAllocs()
	start := cpuTime()
	i := 0
	for b.Loop() {
		op(i)
		i++
	}
	reportCPU(b, start)
}
