package builder_test

import (
	"testing"
	"time"
)

// BenchmarkRenderPaired measures what BenchmarkRender compares, typedsql against the
// hand-written renderer, in a way a noisy machine cannot skew. On a shared 2-core VM the
// separate runs of BenchmarkRender drift by 30% and more between runs a second apart, which
// is as large as the difference being measured. Here each iteration runs a batch of each
// side back to back, in alternating order, and times each batch: both sides meet the same
// machine state, and slow phases cancel out of the ratio.
//
// It reports typedsql-ns/op and hand-ns/op (one render on each side) and typedsql/hand, the
// ratio of their totals:
//
//	go test ./builder -run '^$' -bench BenchmarkRenderPaired -count 6
func BenchmarkRenderPaired(b *testing.B) {
	// A batch long enough that reading the clock is noise, short enough to alternate often.
	const batch = 64
	for _, q := range benchQueries {
		b.Run("q="+q.name, func(b *testing.B) {
			var typed, hand time.Duration
			var i int
			for b.Loop() {
				i++
				if i%2 == 0 {
					hand += timeBatch(b, q.hand, batch)
					typed += timeBatch(b, q.typed, batch)
				} else {
					typed += timeBatch(b, q.typed, batch)
					hand += timeBatch(b, q.hand, batch)
				}
			}
			n := float64(b.N * batch)
			b.ReportMetric(float64(typed.Nanoseconds())/n, "typedsql-ns/op")
			b.ReportMetric(float64(hand.Nanoseconds())/n, "hand-ns/op")
			b.ReportMetric(float64(typed)/float64(hand), "typedsql/hand")
			b.ReportMetric(0, "ns/op") // a batch pair per iteration: not comparable across queries
		})
	}
}

// timeBatch runs f n times and returns how long that took.
func timeBatch(b *testing.B, f renderFunc, n int) time.Duration {
	start := time.Now()
	for range n {
		if _, _, err := f(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}
