package schema_test

import (
	"context"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

// BenchmarkSQLiteAlter changes a 100,000-row SQLite table by Alter: natively (ADD COLUMN,
// then DROP COLUMN, in turn) and by a rebuild (a default changed, in turn).
func BenchmarkSQLiteAlter(b *testing.B) {
	ctx := context.Background()
	db, err := conn.Open(ctx, testcontainers.SQLite(b).URL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := schema.Create(ctx, db, expr.NewTable[benchItemsA]("items")); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, conn.SQL(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
		INSERT INTO items (id, name, price, note) SELECT i, 'item ' || i, i / 4.0, NULL FROM n`)); err != nil {
		b.Fatal(err)
	}
	n := 0 // counts across runs, so that each default differs from the one before
	b.Run("native", func(b *testing.B) {
		ops := [][]schema.Op{{schema.AddColumnOp[expr.Nullable[string]]("extra", "")}, {schema.DropColumnOp("extra")}}
		extra := false
		for b.Loop() {
			i := 0
			if extra {
				i = 1
			}
			if err := schema.Alter(ctx, db, "", "items", ops[i]...); err != nil {
				b.Fatal(err)
			}
			extra = !extra
		}
		if extra {
			if err := schema.Alter(ctx, db, "", "items", ops[1]...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rebuild", func(b *testing.B) {
		defaults := []string{"'a'", "'b'"}
		for b.Loop() {
			n++
			if err := schema.Alter(ctx, db, "", "items", schema.SetDefaultOp("note", defaults[n%2])); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(100000, "rows")
	})
}
