package conn_test

import (
	"context"
	"testing"
	"time"

	"github.com/typedsql/typedsql/testcontainers"
)

// BenchmarkFetchPaired measures what BenchmarkFetch's q=one compares, typedsql's conn.One
// against the raw driver's QueryRow().Scan, in a way a busy or noisy machine cannot skew:
// every iteration runs one query on each side, back to back, in alternating order, and
// times each. Both sides therefore meet the same server, cache and scheduler state, and slow
// phases of the machine (which on a 2-core VM shared with the database servers shift
// BenchmarkFetch's separate runs by ±10-30%) cancel out of the ratio.
//
// It reports typedsql-ns/op and raw-ns/op (the mean wall time of one query on each side) and
// typedsql/raw, the ratio of their totals:
//
//	go test ./conn -run '^$' -bench BenchmarkFetchPaired -benchtime 20000x -count 10
func BenchmarkFetchPaired(b *testing.B) {
	for _, e := range testcontainers.Engines {
		b.Run("db="+string(e), func(b *testing.B) {
			env := setupBench(b, e)
			env.warmUp(b)
			b.Run("q=one", env.onePaired)
		})
	}
}

func (env *benchEnv) onePaired(b *testing.B) {
	ctx := context.Background()
	var typed, raw time.Duration
	var i int64
	for b.Loop() {
		id := i%benchRows + 1
		i++
		if i%2 == 0 {
			raw += env.timeRawOne(b, ctx, id)
			typed += env.timeTypedOne(b, ctx, id)
		} else {
			typed += env.timeTypedOne(b, ctx, id)
			raw += env.timeRawOne(b, ctx, id)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(typed.Nanoseconds())/n, "typedsql-ns/op")
	b.ReportMetric(float64(raw.Nanoseconds())/n, "raw-ns/op")
	b.ReportMetric(float64(typed)/float64(raw), "typedsql/raw")
}

// timeTypedOne runs typedOne and returns how long it took.
func (env *benchEnv) timeTypedOne(b *testing.B, ctx context.Context, id int64) time.Duration {
	start := time.Now()
	env.typedOne(b, ctx, id)
	return time.Since(start)
}

// timeRawOne runs rawOne and returns how long it took.
func (env *benchEnv) timeRawOne(b *testing.B, ctx context.Context, id int64) time.Duration {
	start := time.Now()
	env.rawOne(b, ctx, id)
	return time.Since(start)
}
