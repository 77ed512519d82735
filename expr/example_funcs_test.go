package expr_test

import (
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

type SalesTable struct {
	expr.Table
	ID    expr.Column[int64]     `db:"id"`
	At    expr.Column[time.Time] `db:"at"`
	Sku   expr.Column[string]    `db:"sku"`
	Total expr.Column[float64]   `db:"total"`
	Note  expr.Nullable[string]  `db:"note"`
}

var Sales = expr.NewTable[SalesTable]("sales")

// Month buckets of a report: the same typed call, each engine's spelling, computed in UTC.
func ExampleDateTrunc() {
	month := expr.DateTrunc(expr.Month, Sales.At)
	show(dialect.Postgres, month)
	show(dialect.MySQL, month)
	show(dialect.SQLite, month)
	// Output:
	// DATE_TRUNC('month', "sales"."at", 'UTC') []
	// CAST(DATE_FORMAT(`sales`.`at`, '%Y-%m-01') AS DATETIME(6)) []
	// STRFTIME('%Y-%m-01 00:00:00+00:00', "sales"."at") []
}

// The layout is Go's reference time; each engine gets its own pattern.
func ExampleFormatTime() {
	day := expr.FormatTime(Sales.At, "2006-01-02")
	show(dialect.Postgres, day)
	show(dialect.MySQL, day)
	show(dialect.SQLite, day)
	show(dialect.SQLite, expr.FormatTime(Sales.At, "Jan 2006"))
	// Output:
	// TO_CHAR("sales"."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') []
	// DATE_FORMAT(`sales`.`at`, '%Y-%m-%d') []
	// STRFTIME('%Y-%m-%d', "sales"."at") []
	// typedsql: FormatTime layout "Jan 2006" has "J": use 2006, 01, 02, 15, 04, 05 and the separators " -:/.,_T" (dialect sqlite)
}

// The sales of the last 30 days.
func ExampleAddTime() {
	recent := Sales.At.GtExpr(expr.AddTime(expr.Now(), -30, expr.Day))
	show(dialect.MySQL, recent)
	show(dialect.Postgres, recent)
	// Output:
	// `sales`.`at` > DATE_ADD(UTC_TIMESTAMP(6), INTERVAL ? DAY) [-30]
	// "sales"."at" > ((CURRENT_TIMESTAMP AT TIME ZONE 'UTC' + MAKE_INTERVAL(days => $1)) AT TIME ZONE 'UTC') [-30]
}

func ExampleDatePart() {
	show(dialect.SQLite, expr.DatePart(expr.Year, Sales.At).Eq(2024))
	// Output:
	// CAST(STRFTIME('%Y', "sales"."at") AS INTEGER) = ? [2024]
}

// Coalesce takes the fallback as a plain value of the column's type.
func ExampleCoalesce() {
	show(dialect.Postgres, expr.Coalesce(Sales.Note, "none"))
	// Output:
	// COALESCE("sales"."note", $1) [none]
}

// CoalesceExpr takes expressions of one type; a plain value among them is wrapped with Val.
func ExampleCoalesceExpr() {
	show(dialect.Postgres, expr.CoalesceExpr(Sales.Note, Sales.Sku, expr.Val("-")))
	// Output:
	// COALESCE("sales"."note", "sales"."sku", CAST($1 AS TEXT)) [-]
}

// AsExpression passes an Of[T] held in a variable of the interface type to a function that
// takes any Expression, here builder.Select.
func ExampleAsExpression() {
	report := func(x expr.Of[float64]) expr.Expression {
		return builder.Select(expr.AsExpression(x)).From(Sales)
	}
	show(dialect.SQLite, report(expr.Sum(Sales.Total)))
	// Output:
	// SELECT SUM("total") FROM "sales" []
}

func ExampleGreatest() {
	atLeastOne := expr.Greatest(Sales.Total, expr.Val(1.0))
	show(dialect.MySQL, atLeastOne)
	show(dialect.SQLite, atLeastOne)
	// Output:
	// GREATEST(`sales`.`total`, ?) [1]
	// MAX("sales"."total", ?) [1]
}

func ExampleLength() {
	show(dialect.MySQL, expr.Length(Sales.Sku).Gt(3))
	show(dialect.SQLite, expr.Replace(Sales.Sku, "-", ""))
	show(dialect.Postgres, expr.Substring(Sales.Sku, 1, 3))
	// Output:
	// CHAR_LENGTH(`sales`.`sku`) > ? [3]
	// REPLACE("sales"."sku", ?, ?) [- ]
	// SUBSTR("sales"."sku", 1, 3) []
}

// The rows after a cursor row in the order "at" DESC, "id" DESC: one row-value comparison.
// Keys in mixed directions are spelt out.
func ExampleAfter() {
	last := struct {
		At time.Time
		ID int64
	}{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 42}
	show(dialect.Postgres, expr.After(expr.Key(Sales.At, last.At).Desc(), expr.Key(Sales.ID, last.ID).Desc()))
	show(dialect.SQLite, expr.After(expr.Key(Sales.Total, 9.5).Desc(), expr.Key(Sales.ID, last.ID)))
	// Output:
	// ("sales"."at", "sales"."id") < ($1, $2) [2024-03-01 00:00:00 +0000 UTC 42]
	// ("sales"."total" < ? OR ("sales"."total" = ? AND "sales"."id" > ?)) [9.5 9.5 42]
}
