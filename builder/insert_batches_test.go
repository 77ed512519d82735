package builder_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// smallLimit is SQLite with room for 10 arguments a statement, to see where Batches cuts.
type smallLimit struct{ dialect.Dialect }

func (d smallLimit) Caps() dialect.Capabilities {
	c := d.Dialect.Caps()
	c.MaxParams = 10
	return c
}

func usersRows(n int) *builder.InsertStmt {
	ins := builder.InsertInto(Users)
	for i := range n {
		email := Users.Email.Set("x")
		if i%2 == 1 {
			email = Users.Email.SetNull() // binds nothing
		}
		ins.Values(Users.Name.Set("n"), email, Users.Visits.Set(int32(i)))
	}
	return ins
}

// TestBatches: rows are cut where the next one would pass the limit, counting what each row
// binds (a NULL nothing) and what the other clauses bind in every batch; every batch builds.
func TestBatches(t *testing.T) {
	d := smallLimit{dialect.SQLite}
	argsOf := func(b []*builder.InsertStmt) (rows, args []int) {
		for _, s := range b {
			_, a, err := s.Build(d)
			if err != nil {
				t.Fatal(err)
			}
			rows, args = append(rows, s.Rows()), append(args, len(a))
		}
		return rows, args
	}
	check := func(name string, s *builder.InsertStmt, wantRows, wantArgs []int) {
		t.Helper()
		rows, args := argsOf(s.Batches(d))
		if !slices.Equal(rows, wantRows) || !slices.Equal(args, wantArgs) {
			t.Errorf("%s: batches of %v rows binding %v; want %v binding %v", name, rows, args, wantRows, wantArgs)
		}
	}
	// Rows bind 3, 2, 3, 2, ...: 3+2+3+2 = 10 fit, the fifth does not.
	check("plain", usersRows(9), []int{4, 4, 1}, []int{10, 10, 3})
	check("fits", usersRows(4), []int{4}, []int{10})
	// DO UPDATE binds one value in every batch.
	up := usersRows(9).OnConflict(Users.Name).DoUpdate(Users.Visits.Set(0))
	check("upsert", up, []int{3, 3, 3}, []int{9, 8, 9})
	// An expression counts what it binds: 3 + 2 (Visits + 1).
	ex := builder.InsertInto(Users)
	for range 4 {
		ex.Values(Users.Name.Set("n"), Users.Email.Set("x"), Users.Visits.SetExpr(expr.Add(Users.Visits, expr.Val[int32](1))))
	}
	check("expressions", ex, []int{3, 1}, []int{9, 3})

	// Not VALUES rows, or no limit: the statement whole.
	sel := builder.InsertInto(Archive).FromSelect(builder.Select().From(Users), Archive.Name.SetExpr(Users.Name))
	if b := sel.Batches(d); len(b) != 1 || b[0] != sel {
		t.Errorf("INSERT ... SELECT: %d batches", len(b))
	}
	// A batch is a statement of its own: adding to it leaves the others alone.
	whole := usersRows(9)
	b := whole.Batches(d)
	b[0].Values(Users.Name.Set("more"), Users.Email.SetNull(), Users.Visits.Set(1))
	if _, args := argsOf(b[1:]); !slices.Equal(args, []int{10, 3}) {
		t.Errorf("adding to batch 1 changed the others: %v", args)
	}
	if whole.Rows() != 9 {
		t.Errorf("adding to a batch changed the statement: %d rows", whole.Rows())
	}
}

// TestWithReturning: a copy with its own RETURNING; the statement is unchanged.
func TestWithReturning(t *testing.T) {
	ins := builder.InsertInto(Users).Values(Users.Name.Set("ann")).Returning(Users.Name)
	sql, _, err := ins.WithReturning(Users.ID).Build(dialect.Postgres)
	if err != nil || sql != `INSERT INTO "users" ("name") VALUES ($1) RETURNING "id"` {
		t.Errorf("copy: %s, %v", sql, err)
	}
	sql, _, _ = ins.Build(dialect.Postgres)
	if !strings.HasSuffix(sql, `RETURNING "name"`) {
		t.Errorf("the statement changed: %s", sql)
	}
}

// TestValueRows: the rows as values, and what COPY cannot carry refused with its reason.
func TestValueRows(t *testing.T) {
	vr, err := usersRows(3).ValueRows()
	if err != nil {
		t.Fatal(err)
	}
	if vr.Table != "users" || strings.Join(vr.Columns, ",") != "name,email,visits" || vr.Len() != 3 {
		t.Errorf("%+v", vr)
	}
	row := make([]any, 3)
	if err := vr.Row(1, row); err != nil || row[0] != "n" || row[1] != nil || row[2] != int32(1) {
		t.Errorf("row 2: %v, %v", row, err)
	}
	ar, err := builder.InsertInto(Archive).Values(Archive.ID.Set(1)).ValueRows()
	if err != nil || ar.Schema != "old" || ar.Table != "archive" {
		t.Errorf("archive: %+v, %v", ar, err)
	}
	mixed := builder.InsertInto(Users).Values(Users.Name.Set("a")).Values(Users.Email.Set("b"))
	if _, err := mixed.ValueRows(); err == nil || !strings.Contains(err.Error(), `row 2 assigns column "email" where row 1 assigns "name"`) {
		t.Errorf("mixed rows: %v", err)
	}
	other := builder.InsertInto(Users).Values(Orders.Note.Set("x"))
	if _, err := other.ValueRows(); err == nil || !strings.Contains(err.Error(), "not a column of the target") {
		t.Errorf("another table's column: %v", err)
	}
}
