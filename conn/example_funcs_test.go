package conn_test

import (
	"context"
	"fmt"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
)

type ExampleSalesTable struct {
	expr.Table
	ID    expr.Column[int64]     `db:"id"`
	At    expr.Column[time.Time] `db:"at"`
	Total expr.Column[float64]   `db:"total"`
	Note  expr.Nullable[string]  `db:"note"`
}

var ExampleSales = expr.NewTable[ExampleSalesTable]("sales")

// salesDB is an in-memory SQLite database with five sales over three months.
func salesDB(ctx context.Context) *conn.DB {
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	if _, err := db.Exec(ctx, conn.SQL("CREATE TABLE sales (id integer PRIMARY KEY, at datetime NOT NULL, total real NOT NULL, note text)")); err != nil {
		panic(err)
	}
	s := ExampleSales
	for i, at := range []time.Time{
		time.Date(2024, 1, 31, 23, 59, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), time.Date(2024, 3, 4, 8, 0, 0, 0, time.UTC),
		time.Date(2024, 3, 10, 23, 0, 0, 0, time.UTC),
	} {
		ins := builder.InsertInto(s).Values(s.ID.Set(int64(i+1)), s.At.Set(at), s.Total.Set(float64(10*(i+1))))
		if _, err := db.Exec(ctx, ins); err != nil {
			panic(err)
		}
	}
	return db
}

// A monthly report: DateTrunc's buckets scan into time.Time on every engine (on SQLite they
// are text, which the fetch functions read).
func ExampleAll_monthlyReport() {
	ctx := context.Background()
	db := salesDB(ctx)
	defer db.Close()
	s := ExampleSales
	type month struct {
		Month time.Time `db:"month"`
		Sales int64     `db:"sales"`
		Total float64   `db:"total"`
		Label string    `db:"label"`
	}
	m := expr.DateTrunc(expr.Month, s.At)
	rows, err := conn.All[month](ctx, db, builder.Select(m.As("month"), expr.CountAll().As("sales"),
		expr.Sum(s.Total).As("total"), expr.FormatTime(m, "2006/01").As("label")).
		From(s).GroupBy(m).OrderBy(m.Asc()))
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Println(r.Month.Format(time.DateOnly), r.Sales, r.Total, r.Label)
	}
	// Output:
	// 2024-01-01 1 10 2024/01
	// 2024-02-01 2 50 2024/02
	// 2024-03-01 2 90 2024/03
}

// Keyset pages, newest first, two rows a page: each page starts after the last row of the
// one before.
func ExampleAll_keysetPages() {
	ctx := context.Background()
	db := salesDB(ctx)
	defer db.Close()
	s := ExampleSales
	type sale struct {
		ID int64     `db:"id"`
		At time.Time `db:"at"`
	}
	var last *sale
	for {
		var c sale
		if last != nil {
			c = *last
		}
		keys := []expr.SortKey{expr.Key(s.At, c.At).Desc(), expr.Key(s.ID, c.ID).Desc()}
		q := builder.Select(s.ID, s.At).From(s).Limit(2)
		if last == nil {
			q = q.SeekFirst(keys...)
		} else {
			q = q.SeekAfter(keys...)
		}
		page, err := conn.All[sale](ctx, db, q)
		if err != nil {
			panic(err)
		}
		if len(page) == 0 {
			break
		}
		ids := make([]int64, len(page))
		for i, r := range page {
			ids[i] = r.ID
		}
		fmt.Println(ids)
		last = &page[len(page)-1]
	}
	// Output:
	// [5 4]
	// [3 2]
	// [1]
}
