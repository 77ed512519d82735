package conn_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/typedsql/typedsql/conn"
)

// BenchmarkSQLiteWriters: short write transactions on one SQLite file from several writers at
// once (4 per CPU, on a pool of 8), as an atomic block (q=block: BEGIN IMMEDIATE, INSERT,
// COMMIT) and as an autocommit INSERT (q=autocommit), in WAL mode with synchronous=NORMAL (a
// commit does not wait for the disk, so the locking is what is measured). ns/op is the time
// per write with the writers in line; a write that failed with "database is locked" is
// counted in failed/op.
//
//	go test ./conn -run '^$' -bench BenchmarkSQLiteWriters -benchmem -count 6
func BenchmarkSQLiteWriters(b *testing.B) {
	for _, q := range []string{"block", "autocommit"} {
		b.Run("q="+q, func(b *testing.B) {
			ctx := context.Background()
			db, err := conn.Open(ctx, "sqlite:///"+filepath.Join(b.TempDir(), "bench.db")+"?pool_max_conns=8&synchronous=NORMAL")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(ctx, conn.SQL("CREATE TABLE items (id integer PRIMARY KEY AUTOINCREMENT, v integer NOT NULL)")); err != nil {
				b.Fatal(err)
			}
			insert := func(ctx context.Context) error {
				_, err := db.Exec(ctx, conn.SQL("INSERT INTO items (v) VALUES (?)"), 1)
				return err
			}
			write := insert
			if q == "block" {
				write = func(ctx context.Context) error { return db.Atomic(ctx, insert) }
			}
			var failed atomic.Int64
			b.SetParallelism(4)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := write(ctx); err != nil {
						failed.Add(1)
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(failed.Load())/float64(b.N), "failed/op")
		})
	}
}
