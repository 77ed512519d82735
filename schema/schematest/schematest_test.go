package schematest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema/schematest"
)

type jobsTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id"`
	Status expr.Column[string] `db:"staus"`
	Note   expr.Column[string] `db:"note"`
}

// recorder is a testing.TB that keeps what Check reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}

// TestCheckReportsEachMismatch: each difference is its own test error.
func TestCheckReportsEachMismatch(t *testing.T) {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ctx, conn.SQL(`CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, note TEXT)`)); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	schematest.Check(r, db, expr.NewTable[jobsTable]("jobs"))
	want := []string{
		`schema: table "jobs", column "staus": not in the table (did you mean "status"?)`,
		`schema: table "jobs", column "note": the column may hold NULL but the descriptor declares expr.Column[string]: declare expr.Nullable[string] or make the column NOT NULL`,
	}
	if fmt.Sprint(r.errors) != fmt.Sprint(want) {
		t.Errorf("reported:\n%q\nwant:\n%q", r.errors, want)
	}
}
