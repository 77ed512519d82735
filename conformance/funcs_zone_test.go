package conformance

import (
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestFuncsInAnotherZone runs the time cases on a connection whose session is in New York's
// zone, which changes to daylight-saving time on 2024-03-10 (between stamps 4 and 5 plus two
// weeks): the functions compute in UTC, so the results are those of a UTC session. SQLite has
// no session zone.
func TestFuncsInAnotherZone(t *testing.T) {
	setZone := map[testcontainers.Engine]string{
		testcontainers.EnginePostgres: "SET TIME ZONE 'America/New_York'",
		// MariaDB's named zones need the zone tables loaded; an offset needs nothing.
		testcontainers.EngineMySQL: "SET time_zone = '-05:00'",
	}
	cases := map[string]stmtCase{}
	for _, tc := range funcCases() {
		cases[tc.name] = tc
	}
	names := []string{"month buckets: FormatTime, GROUP BY", "DateTrunc to every unit", "DateTrunc compared with a bound time",
		"DatePart of every field", "FormatTime layouts", "AddTime in every unit", "AddTime compared with bound and stored times"}
	testcontainers.ForEach(t, func(t *testing.T, db *testcontainers.Database) {
		d := dialectFor(db)
		createSchema(t, db)
		createStamps(t, db)
		c, err := db.SQL.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if set := setZone[db.Engine]; set != "" {
			if _, err := c.ExecContext(t.Context(), set); err != nil {
				t.Fatalf("%s: %v", set, err)
			}
		}
		run := func(name string, stmt builder.Statement, want [][]any) {
			t.Helper()
			query, args, err := stmt.Build(d)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			rows, err := c.QueryContext(t.Context(), query, args...)
			if err != nil {
				t.Fatalf("%s: %s: %v", name, query, err)
			}
			got, err := scanAll(rows, want)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if diff := compareRows(got, want, false); diff != "" {
				t.Errorf("%s: %s%s", name, query, diff)
			}
		}
		for _, name := range names {
			tc, ok := cases[name]
			if !ok {
				t.Fatalf("no case %q", name)
			}
			run(name, tc.stmt(), tc.rows)
		}
		// Now is the current instant whatever the session's zone: within an hour of this
		// machine's clock (a generous bound; the zone is five hours away).
		now := time.Now().UTC()
		run("Now", builder.Select(expr.CountAll()).From(stamps).Where(stamps.ID.Eq(1),
			expr.Now().Gt(now.Add(-time.Hour)), expr.Now().Lt(now.Add(time.Hour))), [][]any{{int64(1)}})
	})
}
