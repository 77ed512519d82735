package conn_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

type streamedRow struct {
	N       int64  `db:"n"`
	Payload string `db:"payload"`
}

// TestEachStreamsWithFlatMemory reads 100,000 rows of about 120 bytes each (some 15 MB if
// they were all held) through Each, sampling the live heap as it goes: it must stay within a
// small bound of where it started, because Each hands over one row at a time as the driver
// reads it from the connection.
func TestEachStreamsWithFlatMemory(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb)
		ctx := t.Context()
		mustExec(t, db, "CREATE TABLE digits (d int NOT NULL)")
		mustExec(t, db, "INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
		payload := strings.Repeat("x", 100)
		stmt := conn.SQL(`SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d AS n, '` + payload + `' AS payload
			FROM digits a, digits b, digits c, digits e, digits f`)

		const rows, bound = 100_000, 4 << 20
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapAlloc, ms.HeapAlloc
		var count, sum int64
		for r, err := range conn.Each[streamedRow](ctx, db, stmt) {
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Payload) != 100 {
				t.Fatalf("row %d payload of %d bytes", r.N, len(r.Payload))
			}
			count++
			sum += r.N
			if count%10_000 == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		if count != rows || sum != rows*(rows-1)/2 {
			t.Fatalf("streamed %d rows summing to %d; want %d rows summing to %d", count, sum, rows, rows*(rows-1)/2)
		}
		growth := int64(peak) - int64(base)
		t.Logf("live heap grew by at most %d KiB while streaming %d rows", growth>>10, rows)
		if growth > bound {
			t.Errorf("live heap grew by %d KiB while streaming; want under %d KiB", growth>>10, bound>>10)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections in use after the loop", s.InUse)
		}

		// The control: the same rows held by All do exceed the bound, so the measurement
		// above can tell streaming from loading.
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base = ms.HeapAlloc
		all, err := conn.All[streamedRow](ctx, db, stmt)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		held := int64(ms.HeapAlloc) - int64(base)
		if len(all) != rows || held < bound {
			t.Errorf("All held %d rows in %d KiB; the control should exceed %d KiB", len(all), held>>10, bound>>10)
		}
		runtime.KeepAlive(all)
	})
}
