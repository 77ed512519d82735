package schema_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

type benchItemsA struct {
	expr.Table
	ID    expr.Column[int64]    `db:"id" schema:"identity"`
	Name  expr.Column[string]   `db:"name" schema:"index=ix_bench_name"`
	Price expr.Column[float64]  `db:"price"`
	Note  expr.Nullable[string] `db:"note"`
}

// benchItemsB differs from A by a check, which SQLite adds only by a rebuild.
type benchItemsB struct {
	expr.Table `schema:"check=price >= 0"`
	ID         expr.Column[int64]    `db:"id" schema:"identity"`
	Name       expr.Column[string]   `db:"name" schema:"index=ix_bench_name"`
	Price      expr.Column[float64]  `db:"price"`
	Note       expr.Nullable[string] `db:"note"`
}

// BenchmarkSQLiteRebuild rebuilds a 100,000-row SQLite table (with an index and a table that
// references it) through Diff and Apply, switching between two versions of its descriptor.
func BenchmarkSQLiteRebuild(b *testing.B) {
	ctx := context.Background()
	db, err := conn.Open(ctx, testcontainers.SQLite(b).URL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	a, bb := expr.NewTable[benchItemsA]("items"), expr.NewTable[benchItemsB]("items")
	if err := schema.Create(ctx, db, a); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, conn.SQL(`CREATE TABLE refs (item_id INTEGER REFERENCES items (id))`)); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, conn.SQL(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
		INSERT INTO items (id, name, price, note) SELECT i, 'item ' || i, i / 4.0, NULL FROM n`)); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO refs SELECT id FROM items WHERE id % 10 = 0`)); err != nil {
		b.Fatal(err)
	}
	versions := []any{bb, a}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		plan, err := schema.Diff(ctx, db, versions[i%2])
		if err != nil {
			b.Fatal(err)
		}
		if len(plan.Changes) != 1 || plan.Changes[0].Kind != schema.RebuildTable {
			b.Fatalf("plan: %v", plan)
		}
		if err := schema.Apply(ctx, db, plan); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100000, "rows")
}

// BenchmarkMigrate100 applies 100 small migrations (a CREATE TABLE, then ALTER TABLE ADD
// COLUMN and CREATE INDEX in turn) to a fresh database of each engine.
func BenchmarkMigrate100(b *testing.B) {
	ms := []schema.Migration{{Version: 1, Name: "base", Statements: []string{`CREATE TABLE base (id INTEGER PRIMARY KEY)`}, Source: "bench"}}
	for v := 2; v <= 100; v++ {
		s := fmt.Sprintf(`ALTER TABLE base ADD COLUMN c%d INTEGER`, v)
		if v%2 == 1 {
			s = fmt.Sprintf(`CREATE INDEX ix_%d ON base (c%d)`, v, v-1)
		}
		ms = append(ms, schema.Migration{Version: int64(v), Name: "step", Statements: []string{s}, Source: "bench"})
	}
	for _, e := range testcontainers.Engines {
		b.Run("db="+string(e), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				db, err := conn.Open(ctx, testcontainers.Open(b, e).URL)
				if err != nil {
					b.Fatal(err)
				}
				m, err := schema.NewMigrator(db, ms)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				applied, err := m.Up(ctx)
				b.StopTimer()
				if err != nil || len(applied) != 100 {
					b.Fatalf("%d applied: %v", len(applied), err)
				}
				db.Close()
				b.StartTimer()
			}
		})
	}
}
