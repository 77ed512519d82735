package schema_test

import (
	"context"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

type peopleTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id" schema:"identity"`
	Status expr.Column[string] `db:"staus"`
}

type renamedTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id" schema:"identity"`
	Status expr.Column[string] `db:"status"`
}

// TestRename: a table and a column renamed keep their rows, and the renamed descriptor then
// checks clean and diffs empty, on each engine.
func TestRename(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, expr.NewTable[peopleTable]("people")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO people (staus) VALUES ('ok')`)); err != nil {
			t.Fatal(err)
		}
		if err := schema.RenameTable(ctx, db, "", "people", "users"); err != nil {
			t.Fatal(err)
		}
		if err := schema.RenameColumn(ctx, db, "", "users", "staus", "status"); err != nil {
			t.Fatal(err)
		}
		users := expr.NewTable[renamedTable]("users")
		if err := schema.Check(ctx, db, users); err != nil {
			t.Error(err)
		}
		if plan, err := schema.Diff(ctx, db, users); err != nil || !plan.Empty() {
			t.Errorf("diff: %v, %v", plan, err)
		}
		if s, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT status FROM users`)); err != nil || s != "ok" {
			t.Errorf("row: %q, %v", s, err)
		}
	})
}
