package conn_test

import (
	"slices"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type eventsTable struct {
	expr.Table
	ID expr.Column[int64]     `db:"id"`
	At expr.Column[time.Time] `db:"at"`
}

var events = expr.NewTable[eventsTable]("events")

// TestSQLiteTimesCompareAsInstants: SQLite has no time type, and compares the text the driver
// writes. Written in the writer's zone, 10:00+05:30 and 04:30Z were different strings: the
// row was not found by = with the same instant in UTC, but was by >. conn writes and binds
// every time in one UTC form, so = finds the same instant from any zone, ORDER BY and <, >
// follow time order (fractional seconds included), and a time reads back as the instant
// written.
func TestSQLiteTimesCompareAsInstants(t *testing.T) {
	for kind, url := range map[string]string{
		"file":   testcontainers.SQLite(t).URL,
		"memory": "sqlite:///:memory:",
	} {
		db := openURL(t, url)
		ctx := t.Context()
		mustExec(t, db, "CREATE TABLE events (id integer PRIMARY KEY, at datetime NOT NULL)")
		india, newYork, brazil := time.FixedZone("IST", 5*3600+1800), time.FixedZone("EST", -5*3600), time.FixedZone("BRT", -3*3600)
		base := time.Date(2024, 3, 1, 4, 30, 0, 0, time.UTC)
		written := map[int64]time.Time{
			1: base.In(india),                                    // 10:00:00+05:30
			2: base.Add(500 * time.Millisecond),                  // 04:30:00.5Z
			3: base.Add(250 * time.Millisecond).In(newYork),      // 23:30:00.25-05:00 the day before
			4: base.Add(-time.Millisecond).In(brazil),            // 01:29:59.999-03:00
			5: base.Add(time.Second + time.Nanosecond).In(india), // 10:00:01.000000001+05:30
		}
		for _, id := range []int64{1, 2, 3, 4} { // raw SQL with bound times
			mustExec(t, db, "INSERT INTO events VALUES (?, ?)", id, written[id])
		}
		// and a built INSERT
		if _, err := db.Exec(ctx, builder.InsertInto(events).Values(events.ID.Set(5), events.At.Set(written[5]))); err != nil {
			t.Fatal(err)
		}
		timeOrder := []int64{4, 1, 3, 2, 5}

		ids := func(what string, stmt conn.Statement, args ...any) []int64 {
			t.Helper()
			got, err := conn.All[int64](ctx, db, stmt, args...)
			if err != nil {
				t.Fatalf("%s (%s database): %v", what, kind, err)
			}
			return got
		}
		for _, zone := range []*time.Location{time.UTC, india, newYork} {
			at := base.In(zone)
			if got := ids("= raw", conn.SQL("SELECT id FROM events WHERE at = ?"), at); !slices.Equal(got, []int64{1}) {
				t.Errorf("%s database: at = %v found %v; want [1]", kind, at, got)
			}
			// Built twice: the second renders from the shape cache with its own bound time.
			for range 2 {
				if got := ids("= built", builder.Select(events.ID).From(events).Where(events.At.Eq(at))); !slices.Equal(got, []int64{1}) {
					t.Errorf("%s database: built at = %v found %v; want [1]", kind, at, got)
				}
				if got := ids("> built", builder.Select(events.ID).From(events).Where(events.At.Gt(at)).OrderBy(events.At.Asc())); !slices.Equal(got, []int64{3, 2, 5}) {
					t.Errorf("%s database: built at > %v found %v; want [3 2 5]", kind, at, got)
				}
			}
			if got := ids("> raw", conn.SQL("SELECT id FROM events WHERE at > ? ORDER BY at"), at); !slices.Equal(got, []int64{3, 2, 5}) {
				t.Errorf("%s database: at > %v found %v; want [3 2 5]", kind, at, got)
			}
			if got := ids("< raw", conn.SQL("SELECT id FROM events WHERE at < ?"), at); !slices.Equal(got, []int64{4}) {
				t.Errorf("%s database: at < %v found %v; want [4]", kind, at, got)
			}
		}
		if got := ids("ORDER BY", conn.SQL("SELECT id FROM events ORDER BY at")); !slices.Equal(got, timeOrder) {
			t.Errorf("%s database: ORDER BY at: %v; want %v", kind, got, timeOrder)
		}
		// The stored text is SQLite's own form, in UTC.
		if got, err := conn.Scalar[string](ctx, db, conn.SQL("SELECT at || '' FROM events WHERE id = 1")); err != nil || got != "2024-03-01 04:30:00+00:00" {
			t.Errorf("%s database: stored text %q, %v; want 2024-03-01 04:30:00+00:00", kind, got, err)
		}
		type row struct {
			ID int64     `db:"id"`
			At time.Time `db:"at"`
		}
		rows, err := conn.All[row](ctx, db, conn.SQL("SELECT id, at FROM events"))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if !r.At.Equal(written[r.ID]) {
				t.Errorf("%s database: row %d reads back %v; written %v", kind, r.ID, r.At, written[r.ID])
			}
		}
	}
}
