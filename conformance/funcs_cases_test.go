package conformance

import (
	"fmt"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// stampsTable is the table of the cases of the typed functions that differ per engine:
// times on month, leap-day and week boundaries, with a fraction of a second, and labels with
// spaces, dashes and non-ASCII letters.
//
//	stamps  id at (UTC)                  label        score bonus nick
//	        1  2024-01-31 23:59:59.5     "  Alpha "   10    NULL  al
//	        2  2024-02-01 00:00:00       "beta"       20    5     NULL
//	        3  2024-02-29 12:30:45       "Gamma-ray"  20    NULL  NULL
//	        4  2024-03-04 08:15:00 (Mon) "delta-x"    5     7     dx
//	        5  2024-03-10 23:00:00 (Sun) "épée"       30    1     NULL
type stampsTable struct {
	expr.Table
	ID    expr.Column[int64]     `db:"id"`
	At    expr.Column[time.Time] `db:"at"`
	Label expr.Column[string]    `db:"label"`
	Score expr.Column[int64]     `db:"score"`
	Bonus expr.Nullable[int64]   `db:"bonus"`
	Nick  expr.Nullable[string]  `db:"nick"`
}

var stamps = expr.NewTable[stampsTable]("stamps")

type stampRow struct {
	id           int64
	at           time.Time
	label        string
	score        int64
	bonus        *int64
	nick         *string
	week, addMon time.Time // the Monday of at's ISO week; at + 1 month, clamped to the month's end
	addYear      time.Time // at + 1 year, clamped
}

func utc(y int, m time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, m, d, h, mi, s, ns, time.UTC)
}

var stampRows = []stampRow{
	{1, utc(2024, 1, 31, 23, 59, 59, 5e8), "  Alpha ", 10, nil, ptr("al"),
		utc(2024, 1, 29, 0, 0, 0, 0), utc(2024, 2, 29, 23, 59, 59, 5e8), utc(2025, 1, 31, 23, 59, 59, 5e8)},
	{2, utc(2024, 2, 1, 0, 0, 0, 0), "beta", 20, ptr[int64](5), nil,
		utc(2024, 1, 29, 0, 0, 0, 0), utc(2024, 3, 1, 0, 0, 0, 0), utc(2025, 2, 1, 0, 0, 0, 0)},
	{3, utc(2024, 2, 29, 12, 30, 45, 0), "Gamma-ray", 20, nil, nil,
		utc(2024, 2, 26, 0, 0, 0, 0), utc(2024, 3, 29, 12, 30, 45, 0), utc(2025, 2, 28, 12, 30, 45, 0)},
	{4, utc(2024, 3, 4, 8, 15, 0, 0), "delta-x", 5, ptr[int64](7), ptr("dx"),
		utc(2024, 3, 4, 0, 0, 0, 0), utc(2024, 4, 4, 8, 15, 0, 0), utc(2025, 3, 4, 8, 15, 0, 0)},
	{5, utc(2024, 3, 10, 23, 0, 0, 0), "épée", 30, ptr[int64](1), nil,
		utc(2024, 3, 4, 0, 0, 0, 0), utc(2024, 4, 10, 23, 0, 0, 0), utc(2025, 3, 10, 23, 0, 0, 0)},
}

// createStamps is a case's before: the stamps table and its rows.
func createStamps(t *testing.T, db *testcontainers.Database) {
	t.Helper()
	ts, charset := "TIMESTAMPTZ", ""
	switch db.Engine {
	case testcontainers.EngineMySQL:
		ts, charset = "DATETIME(6)", " CHARACTER SET utf8mb4"
	case testcontainers.EngineSQLite:
		ts = "DATETIME"
	}
	exec(t, db, fmt.Sprintf(`CREATE TABLE stamps (id BIGINT NOT NULL PRIMARY KEY, at %s NOT NULL,
		label VARCHAR(50)%s NOT NULL, score BIGINT NOT NULL, bonus BIGINT NULL, nick VARCHAR(10) NULL)`, ts, charset))
	ins := rebind(db, "INSERT INTO stamps (id, at, label, score, bonus, nick) VALUES (?, ?, ?, ?, ?, ?)")
	for _, r := range stampRows {
		if _, err := db.SQL.ExecContext(t.Context(), ins, r.id, r.at, r.label, r.score, r.bonus, r.nick); err != nil {
			t.Fatalf("stamp %d: %v", r.id, err)
		}
	}
}

const fullLayout = "2006-01-02 15:04:05"

// perStamp is one result row per stamp, in id order, made by f.
func perStamp(f func(r stampRow) []any) [][]any {
	out := make([][]any, len(stampRows))
	for i, r := range stampRows {
		out[i] = append([]any{r.id}, f(r)...)
	}
	return out
}

func funcCases() []stmtCase {
	s := stamps
	monthBuckets := [][]any{{"2024-01", int64(1), int64(10)}, {"2024-02", int64(2), int64(40)}, {"2024-03", int64(2), int64(35)}}
	return []stmtCase{{
		name:   "month buckets: FormatTime, GROUP BY",
		before: createStamps,
		stmt: func() builder.Statement {
			m := expr.FormatTime(s.At, "2006-01")
			return builder.Select(m.As("month"), expr.CountAll().As("n"), expr.Sum(s.Score).As("total")).
				From(s).GroupBy(m).OrderBy(m.Asc())
		},
		rows: monthBuckets,
	}, {
		name:   "month buckets: DateTrunc, GROUP BY",
		before: createStamps,
		stmt: func() builder.Statement {
			m := expr.DateTrunc(expr.Month, s.At)
			return builder.Select(m.As("month"), expr.CountAll().As("n")).From(s).GroupBy(m).OrderBy(m.Asc())
		},
		rows: [][]any{{utc(2024, 1, 1, 0, 0, 0, 0), int64(1)}, {utc(2024, 2, 1, 0, 0, 0, 0), int64(2)}, {utc(2024, 3, 1, 0, 0, 0, 0), int64(2)}},
		// SQLite keeps no type for a computed column: the driver hands over the text, which
		// is the form the connection writes times in.
		rowsOn: map[string][][]any{"sqlite": {{"2024-01-01 00:00:00+00:00", int64(1)}, {"2024-02-01 00:00:00+00:00", int64(2)}, {"2024-03-01 00:00:00+00:00", int64(2)}}},
	}, {
		name:   "DateTrunc to every unit",
		before: createStamps,
		stmt: func() builder.Statement {
			cols := []expr.Expression{s.ID}
			for _, u := range []expr.TimeUnit{expr.Year, expr.Month, expr.Week, expr.Day, expr.Hour, expr.Minute, expr.Second} {
				cols = append(cols, expr.FormatTime(expr.DateTrunc(u, s.At), fullLayout))
			}
			return builder.Select(cols...).From(s).OrderBy(s.ID.Asc())
		},
		rows: perStamp(func(r stampRow) []any {
			a := r.at
			return []any{
				utc(a.Year(), 1, 1, 0, 0, 0, 0).Format(fullLayout),
				utc(a.Year(), a.Month(), 1, 0, 0, 0, 0).Format(fullLayout),
				r.week.Format(fullLayout),
				utc(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0).Format(fullLayout),
				a.Truncate(time.Hour).Format(fullLayout),
				a.Truncate(time.Minute).Format(fullLayout),
				a.Truncate(time.Second).Format(fullLayout),
			}
		}),
	}, {
		name:   "DateTrunc compared with a bound time",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID).From(s).
				Where(expr.DateTrunc(expr.Month, s.At).Eq(utc(2024, 2, 1, 0, 0, 0, 0))).OrderBy(s.ID.Asc())
		},
		rows: ids(2, 3),
	}, {
		name:   "DatePart of every field",
		before: createStamps,
		stmt: func() builder.Statement {
			cols := []expr.Expression{s.ID}
			for _, u := range []expr.TimeUnit{expr.Year, expr.Month, expr.Day, expr.Hour, expr.Minute, expr.Second} {
				cols = append(cols, expr.DatePart(u, s.At))
			}
			return builder.Select(cols...).From(s).OrderBy(s.ID.Asc())
		},
		rows: perStamp(func(r stampRow) []any {
			a := r.at
			return []any{int64(a.Year()), int64(a.Month()), int64(a.Day()), int64(a.Hour()), int64(a.Minute()), int64(a.Second())}
		}),
	}, {
		name:   "FormatTime layouts",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID, expr.FormatTime(s.At, "2006/01/02T15:04:05"), expr.FormatTime(s.At, "02.01.2006"),
				expr.FormatTime(s.At, "15:04"), expr.FormatTime(s.At, "2006_01,02")).From(s).OrderBy(s.ID.Asc())
		},
		rows: perStamp(func(r stampRow) []any {
			return []any{r.at.Format("2006/01/02T15:04:05"), r.at.Format("02.01.2006"), r.at.Format("15:04"), r.at.Format("2006_01,02")}
		}),
	}, {
		name:    "FormatTime with a layout it does not know",
		stmt:    func() builder.Statement { return builder.Select(expr.FormatTime(s.At, "Jan 2006")).From(s) },
		invalid: `FormatTime layout "Jan 2006" has "J"`,
	}, {
		name:    "DatePart of a week",
		stmt:    func() builder.Statement { return builder.Select(expr.DatePart(expr.Week, s.At)).From(s) },
		invalid: "engines number weeks differently",
	}, {
		name:   "AddTime in every unit",
		before: createStamps,
		stmt: func() builder.Statement {
			add := func(n int64, u expr.TimeUnit) expr.Expression {
				return expr.FormatTime(expr.AddTime(s.At, n, u), fullLayout)
			}
			return builder.Select(s.ID, add(1, expr.Year), add(1, expr.Month), add(2, expr.Week), add(-1, expr.Day),
				add(3, expr.Hour), add(90, expr.Minute), add(-30, expr.Second)).From(s).OrderBy(s.ID.Asc())
		},
		rows: perStamp(func(r stampRow) []any {
			a := r.at
			return []any{r.addYear.Format(fullLayout), r.addMon.Format(fullLayout), a.AddDate(0, 0, 14).Format(fullLayout),
				a.AddDate(0, 0, -1).Format(fullLayout), a.Add(3 * time.Hour).Format(fullLayout),
				a.Add(90 * time.Minute).Format(fullLayout), a.Add(-30 * time.Second).Format(fullLayout)}
		}),
	}, {
		name:   "AddTime compared with bound and stored times",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID).From(s).
				Where(expr.AddTime(s.At, 1, expr.Day).Gt(utc(2024, 3, 1, 0, 0, 0, 0))).
				Where(s.At.GeExpr(expr.AddTime(expr.Val(utc(2024, 1, 30, 23, 59, 59, 5e8)), 1, expr.Day))).
				OrderBy(s.ID.Asc())
		},
		rows: ids(3, 4, 5),
	}, {
		name:   "AddTime keeps a fraction of a second",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID).From(s).
				Where(s.At.EqExpr(expr.AddTime(expr.Val(utc(2024, 1, 31, 23, 59, 49, 5e8)), 10, expr.Second)))
		},
		rows: ids(1),
	}, {
		name:   "Now",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(expr.CountAll()).From(s).
				Where(s.At.LtExpr(expr.Now()), s.At.GtExpr(expr.AddTime(expr.Now(), -100, expr.Year)))
		},
		rows: [][]any{{int64(5)}},
	}, {
		name:   "string functions",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID, expr.Length(s.Label), expr.Substring(s.Label, 2, 3), expr.Trim(s.Label),
				expr.LTrim(s.Label), expr.RTrim(s.Label), expr.Replace(s.Label, "-", "+"),
				expr.Lower(expr.Trim(s.Label))).From(s).OrderBy(s.ID.Asc())
		},
		rows: [][]any{
			{int64(1), int64(8), " Al", "Alpha", "Alpha ", "  Alpha", "  Alpha ", "alpha"},
			{int64(2), int64(4), "eta", "beta", "beta", "beta", "beta", "beta"},
			{int64(3), int64(9), "amm", "Gamma-ray", "Gamma-ray", "Gamma-ray", "Gamma+ray", "gamma-ray"},
			{int64(4), int64(7), "elt", "delta-x", "delta-x", "delta-x", "delta+x", "delta-x"},
			{int64(5), int64(4), "pée", "épée", "épée", "épée", "épée", "épée"},
		},
	}, {
		name:   "Length and Substring in WHERE and GROUP BY",
		before: createStamps,
		stmt: func() builder.Statement {
			initial := expr.Substring(expr.Lower(expr.Trim(s.Label)), 1, 1)
			return builder.Select(initial, expr.CountAll()).From(s).Where(expr.Length(s.Label).Gt(4)).
				GroupBy(initial).OrderBy(initial.Asc())
		},
		rows: [][]any{{"a", int64(1)}, {"d", int64(1)}, {"g", int64(1)}},
	}, {
		name:    "Substring from character 0",
		stmt:    func() builder.Statement { return builder.Select(expr.Substring(s.Label, 0, 1)).From(s) },
		invalid: "SUBSTR starts at character 1",
	}, {
		name:   "Coalesce, NullIf, Greatest, Least",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID, expr.Coalesce(s.Nick, "-"), expr.NullIf(s.Score, 20),
				expr.Greatest(s.Score, expr.Val(int64(15)), s.ID), expr.Least(s.Score, expr.Val(int64(15))),
				expr.Coalesce(s.Bonus, 0), expr.Greatest(expr.Coalesce(s.Bonus, 0), s.ID),
				expr.NullIfExpr(s.Score, expr.Mul(s.ID, expr.Val(int64(10))))).From(s).OrderBy(s.ID.Asc())
		},
		rows: [][]any{
			{int64(1), "al", int64(10), int64(15), int64(10), int64(0), int64(1), nil},
			{int64(2), "-", nil, int64(20), int64(15), int64(5), int64(5), nil},
			{int64(3), "-", nil, int64(20), int64(15), int64(0), int64(3), int64(20)},
			{int64(4), "dx", int64(5), int64(15), int64(5), int64(7), int64(7), int64(5)},
			{int64(5), "-", int64(30), int64(30), int64(15), int64(1), int64(5), int64(30)},
		},
	}, {
		name:   "keyset: next page, one direction (row values)",
		before: createStamps,
		stmt: func() builder.Statement {
			r := stampRows[2]
			return builder.Select(s.ID).From(s).Limit(10).
				SeekAfter(expr.Key(s.At, r.at).Desc(), expr.Key(s.ID, r.id).Desc())
		},
		rows: ids(2, 1),
	}, {
		name:   "keyset: next page, mixed directions",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID).From(s).Limit(10).
				SeekAfter(expr.Key(s.Score, 20).Desc(), expr.Key(s.ID, 2))
		},
		rows: ids(3, 1, 4),
	}, {
		name:   "keyset: previous page, mixed directions",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID).From(s).Limit(2).
				SeekBefore(expr.Key(s.Score, 20).Desc(), expr.Key(s.ID, 3))
		},
		rows: ids(2, 5), // nearest the cursor first
	}, {
		name:   "keyset: first page",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID).From(s).Limit(3).SeekFirst(expr.Key(s.Score, 0).Desc(), expr.Key(s.ID, 0))
		},
		rows: ids(5, 2, 3),
	}, {
		name:   "keyset: one key",
		before: createStamps,
		stmt: func() builder.Statement {
			return builder.Select(s.ID).From(s).Limit(10).SeekAfter(expr.Key(s.ID, 3))
		},
		rows: ids(4, 5),
	}, {
		name:    "keyset without keys",
		stmt:    func() builder.Statement { return builder.Select(s.ID).From(s).SeekAfter() },
		invalid: "keyset condition without keys",
	}}
}

func TestFuncs(t *testing.T) { runStatementCases(t, funcCases()) }
