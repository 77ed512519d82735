package conn_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// The atomic block benchmarks: a transaction with one UPDATE (q=tx), and the same with the
// UPDATE in a nested block (q=nested), through db.Atomic beside the driver's own transactions
// written by hand (pgxpool's Begin/Commit, whose nested Begin is a savepoint, on PostgreSQL;
// database/sql's BeginTx with SAVEPOINT/RELEASE by hand on MySQL/MariaDB and SQLite, whose
// BEGIN is made IMMEDIATE like Atomic's).
//
//	go test ./conn -run '^$' -bench BenchmarkAtomic -benchmem -count 6

const benchUpdate = "UPDATE bench_counter SET n = n + 1 WHERE id = 1"

func BenchmarkAtomic(b *testing.B) {
	for _, e := range testcontainers.Engines {
		b.Run("db="+string(e), func(b *testing.B) {
			ctx := context.Background()
			tdb := testcontainers.Open(b, e)
			db, err := conn.Open(ctx, tdb.URL)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			for _, q := range []string{"CREATE TABLE bench_counter (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO bench_counter VALUES (1, 0)"} {
				if _, err := db.Exec(ctx, conn.SQL(q)); err != nil {
					b.Fatal(err)
				}
			}
			var pool *pgxpool.Pool
			var sdb *sql.DB
			if e == testcontainers.EnginePostgres {
				if pool, err = pgxpool.New(ctx, tdb.URL); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(pool.Close)
			} else {
				dsn := tdb.DSN
				if e == testcontainers.EngineSQLite {
					dsn += map[bool]string{true: "&", false: "?"}[strings.Contains(dsn, "?")] + "_txlock=immediate"
				}
				if sdb, err = sql.Open(tdb.DriverName, dsn); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { sdb.Close() })
			}
			update := func(ctx context.Context) error {
				_, err := db.Exec(ctx, conn.SQL(benchUpdate))
				return err
			}
			b.Run("q=tx/impl=typedsql", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := db.Atomic(ctx, update); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("q=tx/impl=raw", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := rawTx(ctx, pool, sdb, false); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("q=nested/impl=typedsql", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := db.Atomic(ctx, func(ctx context.Context) error { return db.Atomic(ctx, update) }); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("q=nested/impl=raw", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := rawTx(ctx, pool, sdb, true); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// rawTx is the hand-written transaction: BEGIN, [SAVEPOINT,] UPDATE, [RELEASE,] COMMIT.
func rawTx(ctx context.Context, pool *pgxpool.Pool, sdb *sql.DB, nested bool) error {
	if pool != nil {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		inner := tx
		if nested {
			if inner, err = tx.Begin(ctx); err != nil {
				return err
			}
		}
		if _, err := inner.Exec(ctx, benchUpdate); err != nil {
			return err
		}
		if nested {
			if err := inner.Commit(ctx); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	}
	tx, err := sdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if nested {
		if _, err := tx.ExecContext(ctx, "SAVEPOINT sp1"); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, benchUpdate); err != nil {
		return err
	}
	if nested {
		if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT sp1"); err != nil {
			return err
		}
	}
	return tx.Commit()
}
