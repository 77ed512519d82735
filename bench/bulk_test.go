package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// Bulk loading: the same rows (4 columns) inserted by typedsql's DB.InsertBatched (cut at the
// engine's argument limit, one transaction), by a hand-written batched INSERT doing the same
// on the raw driver (pgx, database/sql), and on PostgreSQL by COPY: typedsql's
// postgres.CopyFrom (a statement sized with Grow, and one without) and postgres.CopyFromSeq
// (a slice of structs streamed through typed assignments) against pgx's CopyFrom. Each op
// loads every row into an emptied table; building the rows (typed Values, a []bulkStruct, or
// [][]any by hand) is part of the op.
//
// The row count is TYPEDSQL_BENCH_BULK_ROWS, 2,000 by default so that CI's -benchtime=1x
// stays quick; the measure is 100,000:
//
//	TYPEDSQL_BENCH_BULK_ROWS=100000 go test -run '^$' -bench BulkInsert -benchmem -count 5 .

type bulkItemsTable struct {
	expr.Table
	SKU   expr.Column[string]    `db:"sku"`
	Name  expr.Column[string]    `db:"name"`
	Price expr.Column[float64]   `db:"price"`
	Added expr.Column[time.Time] `db:"added"`
}

var bulkItems = expr.NewTable[bulkItemsTable]("bulk_items")

var bulkCols = []string{"sku", "name", "price", "added"}

var bulkDDL = map[testcontainers.Engine]string{
	testcontainers.EnginePostgres: `CREATE TABLE bulk_items (id bigserial PRIMARY KEY, sku text NOT NULL, name text NOT NULL, price double precision NOT NULL, added timestamptz NOT NULL)`,
	testcontainers.EngineMySQL:    `CREATE TABLE bulk_items (id bigint AUTO_INCREMENT PRIMARY KEY, sku varchar(20) NOT NULL, name varchar(40) NOT NULL, price double NOT NULL, added datetime(6) NOT NULL)`,
	testcontainers.EngineSQLite:   `CREATE TABLE bulk_items (id integer PRIMARY KEY, sku text NOT NULL, name text NOT NULL, price real NOT NULL, added datetime NOT NULL)`,
}

var bulkTruncate = map[testcontainers.Engine]string{
	testcontainers.EnginePostgres: "TRUNCATE bulk_items",
	testcontainers.EngineMySQL:    "TRUNCATE TABLE bulk_items",
	testcontainers.EngineSQLite:   "DELETE FROM bulk_items",
}

func bulkRows() int {
	if s := os.Getenv("TYPEDSQL_BENCH_BULK_ROWS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 2000
}

// bulkItem is row i's values.
func bulkItem(i int) (sku, name string, price float64, added time.Time) {
	return "sku-" + strconv.Itoa(i), "item number " + strconv.Itoa(i), float64(i%1000) + 0.25,
		e2eEpoch.Add(time.Duration(i) * time.Second)
}

// typedBulk is the rows as typedsql's typed INSERT, sized for them up front (Grow) when grow
// is set, as its documentation advises.
func typedBulk(n int, grow bool) *builder.InsertStmt {
	B := bulkItems
	ins := builder.InsertInto(B)
	if grow {
		ins.Grow(n)
	}
	for i := range n {
		sku, name, price, added := bulkItem(i)
		ins.Values(B.SKU.Set(sku), B.Name.Set(name), B.Price.Set(price), B.Added.Set(added))
	}
	return ins
}

// bulkStruct is a row as an application holds it, for CopyFromSeq.
type bulkStruct struct {
	SKU, Name string
	Price     float64
	Added     time.Time
}

// structBulk is the rows as a slice of structs.
func structBulk(n int) []bulkStruct {
	rows := make([]bulkStruct, n)
	for i := range rows {
		r := &rows[i]
		r.SKU, r.Name, r.Price, r.Added = bulkItem(i)
	}
	return rows
}

// bulkRow is CopyFromSeq's row function for bulkStruct.
func bulkRow(row []expr.Assignment, r bulkStruct) []expr.Assignment {
	B := bulkItems
	return append(row, B.SKU.Set(r.SKU), B.Name.Set(r.Name), B.Price.Set(r.Price), B.Added.Set(r.Added))
}

// rawBulk is the rows as a hand-written caller holds them.
func rawBulk(n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		sku, name, price, added := bulkItem(i)
		rows[i] = []any{sku, name, price, added}
	}
	return rows
}

// batchedInsert is the hand-written batched INSERT: as many rows a statement as the limit
// allows (maxArgs), the statement text built once per batch size, all in one transaction.
func batchedInsert(rows [][]any, maxArgs int, dollar bool, exec func(q string, args []any) error) error {
	per := maxArgs / len(bulkCols)
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var q strings.Builder
		q.WriteString("INSERT INTO bulk_items (sku, name, price, added) VALUES ")
		args := make([]any, 0, (end-start)*len(bulkCols))
		for r := start; r < end; r++ {
			if r > start {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for c := range bulkCols {
				if c > 0 {
					q.WriteString(", ")
				}
				if dollar {
					q.WriteString("$" + strconv.Itoa(len(args)+1))
				} else {
					q.WriteByte('?')
				}
				args = append(args, rows[r][c])
			}
			q.WriteByte(')')
		}
		if err := exec(q.String(), args); err != nil {
			return err
		}
	}
	return nil
}

func BenchmarkBulkInsert(b *testing.B) {
	n := bulkRows()
	for _, e := range testcontainers.Engines {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			tdb := testcontainers.Open(b, e)
			db, err := conn.Open(ctx, tdb.URL)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			if _, err := db.Exec(ctx, conn.SQL(bulkDDL[e])); err != nil {
				b.Fatal(err)
			}
			maxArgs := db.Dialect().Caps().MaxParams
			var pool *pgxpool.Pool
			var raw *sql.DB
			if e == testcontainers.EnginePostgres {
				if pool, err = pgxpool.New(ctx, tdb.URL); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(pool.Close)
			} else {
				if raw, err = sql.Open(tdb.DriverName, tdb.DSN); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { raw.Close() })
			}

			type impl struct {
				name string
				load func() error
			}
			impls := []impl{{"typedsql-batched", func() error {
				res, err := db.InsertBatched(ctx, typedBulk(n, true))
				if err == nil && res.RowsAffected != int64(n) {
					err = fmt.Errorf("inserted %d rows", res.RowsAffected)
				}
				return err
			}}}
			if pool != nil {
				impls = append(impls,
					impl{"pgx-batched", func() error {
						rows := rawBulk(n)
						return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
							return batchedInsert(rows, maxArgs, true, func(q string, args []any) error {
								_, err := tx.Exec(ctx, q, args...)
								return err
							})
						})
					}},
					impl{"typedsql-copy", func() error {
						_, err := postgres.CopyFrom(ctx, db, typedBulk(n, true))
						return err
					}},
					impl{"typedsql-copy-nogrow", func() error {
						_, err := postgres.CopyFrom(ctx, db, typedBulk(n, false))
						return err
					}},
					impl{"typedsql-copyseq", func() error {
						_, err := postgres.CopyFromSeq(ctx, db, bulkItems, slices.Values(structBulk(n)), bulkRow)
						return err
					}},
					impl{"pgx-copy", func() error {
						_, err := pool.CopyFrom(ctx, pgx.Identifier{"bulk_items"}, bulkCols, pgx.CopyFromRows(rawBulk(n)))
						return err
					}})
			} else {
				impls = append(impls, impl{"sql-batched", func() error {
					rows := rawBulk(n)
					tx, err := raw.BeginTx(ctx, nil)
					if err != nil {
						return err
					}
					err = batchedInsert(rows, maxArgs, false, func(q string, args []any) error {
						_, err := tx.ExecContext(ctx, q, args...)
						return err
					})
					if err != nil {
						tx.Rollback()
						return err
					}
					return tx.Commit()
				}})
			}
			for _, im := range impls {
				b.Run(im.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						b.StopTimer()
						if _, err := db.Exec(ctx, conn.SQL(bulkTruncate[e])); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
						if err := im.load(); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(n), "rows/op")
				})
			}
		})
	}
}
