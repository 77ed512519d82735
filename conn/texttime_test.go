package conn_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type visitsTable struct {
	expr.Table
	ID expr.Column[int64]     `db:"id"`
	At expr.Column[time.Time] `db:"at"`
}

var visits = expr.NewTable[visitsTable]("visits")

// TestComputedTimesScan fetches computed times (month buckets, MAX, AddTime) into
// time.Time, *time.Time, sql.NullTime and sql.Null[time.Time] on every engine. On SQLite they
// come from the driver as text, as SQLite keeps no type for a computed column.
func TestComputedTimesScan(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openURL(t, tdb.URL)
		ts := map[testcontainers.Engine]string{testcontainers.EnginePostgres: "TIMESTAMPTZ",
			testcontainers.EngineMySQL: "DATETIME(6)", testcontainers.EngineSQLite: "DATETIME"}[tdb.Engine]
		mustExec(t, db, "CREATE TABLE visits (id BIGINT PRIMARY KEY, at "+ts+" NOT NULL)")
		at := []time.Time{
			time.Date(2024, 1, 31, 23, 59, 59, 5e8, time.UTC),
			time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2024, 2, 29, 12, 30, 45, 0, time.UTC),
		}
		for i, a := range at {
			if _, err := db.Exec(ctx, builder.InsertInto(visits).Values(visits.ID.Set(int64(i+1)), visits.At.Set(a))); err != nil {
				t.Fatal(err)
			}
		}

		type bucket struct {
			Month time.Time `db:"month"`
			N     int64     `db:"n"`
		}
		m := expr.DateTrunc(expr.Month, visits.At)
		got, err := conn.All[bucket](ctx, db, builder.Select(m.As("month"), expr.CountAll().As("n")).
			From(visits).GroupBy(m).OrderBy(m.Asc()))
		if err != nil {
			t.Fatal(err)
		}
		want := []bucket{{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 1}, {time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), 2}}
		if len(got) != len(want) || !got[0].Month.Equal(want[0].Month) || got[0].N != 1 ||
			!got[1].Month.Equal(want[1].Month) || got[1].N != 2 {
			t.Errorf("month buckets %v, want %v", got, want)
		}

		later, err := conn.Scalar[time.Time](ctx, db, builder.Select(expr.AddTime(expr.Max(visits.At), 1, expr.Month)).From(visits))
		if want := time.Date(2024, 3, 29, 12, 30, 45, 0, time.UTC); err != nil || !later.Equal(want) {
			t.Errorf("AddTime(MAX(at), 1 month) = %v, %v; want %v", later, err, want)
		}
		first, err := conn.Scalar[time.Time](ctx, db, builder.Select(expr.Min(visits.At)).From(visits))
		if err != nil || !first.Equal(at[0]) {
			t.Errorf("MIN(at) = %v, %v; want %v", first, err, at[0])
		}

		none := builder.Select(expr.Max(visits.At)).From(visits).Where(visits.ID.Gt(10))
		some := builder.Select(expr.Max(visits.At)).From(visits)
		if p, err := conn.Scalar[*time.Time](ctx, db, none); err != nil || p != nil {
			t.Errorf("MAX over no rows into *time.Time: %v, %v; want nil", p, err)
		}
		if p, err := conn.Scalar[*time.Time](ctx, db, some); err != nil || p == nil || !p.Equal(at[2]) {
			t.Errorf("MAX into *time.Time: %v, %v; want %v", p, err, at[2])
		}
		if n, err := conn.Scalar[sql.NullTime](ctx, db, some); err != nil || !n.Valid || !n.Time.Equal(at[2]) {
			t.Errorf("MAX into sql.NullTime: %v, %v; want %v", n, err, at[2])
		}
		if n, err := conn.Scalar[sql.Null[time.Time]](ctx, db, none); err != nil || n.Valid {
			t.Errorf("MAX over no rows into sql.Null[time.Time]: %v, %v; want NULL", n, err)
		}
		// A NULL into a time.Time stays an error, as for any other type.
		if _, err := conn.Scalar[time.Time](ctx, db, none); err == nil {
			t.Error("MAX over no rows into time.Time: no error")
		}
		// Text that is no time is an error, not a zero time.
		if _, err := conn.Scalar[time.Time](ctx, db, builder.Select(expr.FormatTime(visits.At, "15:04")).From(visits).Limit(1)); err == nil {
			t.Error("text 23:59 into time.Time: no error")
		}
	})
}
