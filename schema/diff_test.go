package schema_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestDiffRoundTrip: descriptors -> Create -> Diff is empty on each engine; before Create
// the plan is the tables to create, and applying it gives the same empty diff.
func TestDiffRoundTrip(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		plan, err := schema.Diff(ctx, db, allTables...)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Changes) != 1 || plan.Changes[0].Kind != schema.CreateTable {
			t.Fatalf("plan on an empty database:\n%v", plan)
		}
		if err := schema.Apply(ctx, db, plan); err != nil {
			t.Fatal(err)
		}
		plan, err = schema.Diff(ctx, db, allTables...)
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Empty() {
			t.Errorf("diff after creating the tables is not empty:\n%v", plan)
		}
	})
}

type notesV1Table struct {
	expr.Table
	ID     expr.Column[int64]    `db:"id" schema:"identity"`
	Title  expr.Column[string]   `db:"title" schema:"size=20"`
	Body   expr.Nullable[string] `db:"body"`
	Legacy expr.Nullable[string] `db:"legacy"`
}

// notesV2Table is the next version: title is longer, body NOT NULL with a default, legacy is
// gone, there is a new column and an index.
type notesV2Table struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id" schema:"identity"`
	Title  expr.Column[string] `db:"title" schema:"size=100;index"`
	Body   expr.Column[string] `db:"body" schema:"default=''"`
	Pinned expr.Column[bool]   `db:"pinned" schema:"default=FALSE"`
}

// TestDiffApply: the plan from one version of a descriptor to the next runs on each engine
// with rows in the table (on SQLite as one table rebuild), keeps them, refuses the dropped
// column until allowed, and leaves nothing to diff.
func TestDiffApply(t *testing.T) {
	v1 := expr.NewTable[notesV1Table]("notes")
	v2 := expr.NewTable[notesV2Table]("notes")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, v1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO notes (title, body) VALUES ('a', 'x')`)); err != nil {
			t.Fatal(err)
		}
		plan, err := schema.Diff(ctx, db, v2)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, c := range plan.Changes {
			kinds = append(kinds, c.Kind.String()+" "+c.Name)
		}
		want := []string{"alter column title", "alter column body", "add column pinned", "drop column legacy", "add index ix_notes_title"}
		dropped := `drop column "notes"."legacy"`
		if db.Dialect().Caps().DDL.AlterColumn == 0 { // SQLite rebuilds the table
			want = []string{"rebuild table "}
			dropped = `rebuild table "notes": alter column title (type VARCHAR(20) -> VARCHAR(100)); alter column body`
			if !plan.Changes[0].Destructive || !strings.Contains(plan.String(), "drop column legacy") {
				t.Errorf("rebuild: %v", plan)
			}
		} else if !plan.Changes[3].Destructive || plan.Changes[0].Destructive {
			t.Errorf("destructive flags:\n%v", plan)
		}
		if !slices.Equal(kinds, want) {
			t.Fatalf("plan:\n%v\nwant %v", plan, want)
		}
		if err := schema.Apply(ctx, db, plan); !errors.Is(err, schema.ErrDestructive) || !strings.Contains(err.Error(), dropped) {
			t.Fatalf("Apply without AllowDestructive: %v", err)
		}
		if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM notes WHERE legacy IS NULL`)); err != nil || n != 1 {
			t.Fatalf("a refused plan changed the table: %d, %v", n, err)
		}
		if err := schema.Apply(ctx, db, plan, schema.AllowDestructive()); err != nil {
			t.Fatalf("%v\nplan SQL: %q", err, plan.SQL())
		}
		if err := schema.Check(ctx, db, v2); err != nil {
			t.Error(err)
		}
		if plan, err := schema.Diff(ctx, db, v2); err != nil || !plan.Empty() {
			t.Errorf("diff after Apply: %v, %v", plan, err)
		}
		title, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT title FROM notes`))
		if err != nil || title != "a" {
			t.Errorf("row after Apply: %q, %v", title, err)
		}
	})
}

type gadgetsV1Table struct {
	expr.Table `schema:"check=qty >= 0"`
	ID         expr.Column[int64]   `db:"id" schema:"identity"`
	Serial     expr.Column[string]  `db:"serial" schema:"unique"`
	Qty        expr.Column[int64]   `db:"qty"`
	OwnerID    expr.Nullable[int64] `db:"owner_id"`
}

// gadgetsV2Table drops the unique constraint and the check, adds a foreign key and a unique
// constraint over two columns.
type gadgetsV2Table struct {
	expr.Table
	ID      expr.Column[int64]   `db:"id" schema:"identity"`
	Serial  expr.Column[string]  `db:"serial" schema:"unique=uq_gadgets_serial_qty"`
	Qty     expr.Column[int64]   `db:"qty" schema:"unique=uq_gadgets_serial_qty"`
	OwnerID expr.Nullable[int64] `db:"owner_id" schema:"references=owners(id)"`
}

type ownersTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id" schema:"identity"`
}

// TestDiffConstraints: unique constraints, checks and foreign keys are dropped and added in
// place on PostgreSQL and MariaDB, by a rebuild on SQLite, and the diff is empty afterwards.
func TestDiffConstraints(t *testing.T) {
	owners := expr.NewTable[ownersTable]("owners")
	v1, v2 := expr.NewTable[gadgetsV1Table]("gadgets"), expr.NewTable[gadgetsV2Table]("gadgets")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, owners, v1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO gadgets (serial, qty) VALUES ('a', 1)`)); err != nil {
			t.Fatal(err)
		}
		plan, err := schema.Diff(ctx, db, owners, v2)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Apply(ctx, db, plan); err != nil {
			t.Fatalf("%v\n%v\n%q", err, plan, plan.SQL())
		}
		if plan, err := schema.Diff(ctx, db, owners, v2); err != nil || !plan.Empty() {
			t.Errorf("diff after Apply: %v, %v", plan, err)
		}
		for _, step := range []struct {
			q       string
			wantErr bool
		}{
			{`INSERT INTO gadgets (serial, qty) VALUES ('a', -1)`, false},
			{`INSERT INTO gadgets (serial, qty) VALUES ('a', -1)`, true},
			{`INSERT INTO gadgets (serial, qty, owner_id) VALUES ('b', 1, 12345)`, true},
		} {
			_, err := db.Exec(ctx, conn.SQL(step.q))
			if step.wantErr != errors.Is(err, conn.ErrIntegrity) || !step.wantErr && err != nil {
				t.Errorf("%s: %v (want an integrity error: %v)", step.q, err, step.wantErr)
			}
		}
	})
}

type flagsV1Table struct {
	expr.Table
	ID     expr.Column[int64]   `db:"id" schema:"identity"`
	Status expr.Column[string]  `db:"status" schema:"default='new'"`
	Level  expr.Column[int32]   `db:"level" schema:"default=-1"`
	On     expr.Column[bool]    `db:"on_" schema:"default=TRUE"`
	Rate   expr.Column[float64] `db:"rate" schema:"default=0.5"`
}

// flagsV2Table changes every default's value, not whether there is one.
type flagsV2Table struct {
	expr.Table
	ID     expr.Column[int64]   `db:"id" schema:"identity"`
	Status expr.Column[string]  `db:"status" schema:"default='old'"`
	Level  expr.Column[int32]   `db:"level" schema:"default=2"`
	On     expr.Column[bool]    `db:"on_" schema:"default=FALSE"`
	Rate   expr.Column[float64] `db:"rate" schema:"default=1.25"`
}

// TestDiffDefaultValues: a default whose value changed is planned (the engines read them back
// rewritten: 'new'::text, '-1'::integer, 1 for TRUE), applied, and then diffs empty.
func TestDiffDefaultValues(t *testing.T) {
	v1, v2 := expr.NewTable[flagsV1Table]("flags"), expr.NewTable[flagsV2Table]("flags")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, v1); err != nil {
			t.Fatal(err)
		}
		if plan, err := schema.Diff(ctx, db, v1); err != nil || !plan.Empty() {
			t.Fatalf("diff right after Create: %v, %v", plan, err)
		}
		plan, err := schema.Diff(ctx, db, v2)
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect().Caps().DDL.AlterColumn != 0 && len(plan.Changes) != 4 {
			t.Errorf("plan: want the 4 defaults altered:\n%v", plan)
		}
		if err := schema.Apply(ctx, db, plan); err != nil {
			t.Fatalf("%v\n%q", err, plan.SQL())
		}
		if plan, err := schema.Diff(ctx, db, v2); err != nil || !plan.Empty() {
			t.Errorf("diff after Apply: %v, %v", plan, err)
		}
		mustExec(t, db, `INSERT INTO flags (id) VALUES (1)`)
		got, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT status FROM flags`))
		if err != nil || got != "old" {
			t.Errorf("status default: %q, %v", got, err)
		}
	})
}
