package conn_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestExplain: the plan of a typed statement comes back as text on every engine, with its
// arguments bound; Analyze runs it (PostgreSQL, MariaDB) and undoes a write; SQLite, which
// cannot analyze, says so.
func TestExplain(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := productsDB(t, tdb.URL)
		if _, err := db.InsertBatched(ctx, productRows(0, 50)); err != nil {
			t.Fatal(err)
		}
		P := bulkProducts
		sel := builder.Select(P.ID, P.Name).From(P).Where(P.SKU.Eq("sku-000007"))

		plan, err := db.Explain(ctx, sel, conn.ExplainOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("plan:\n%s", plan)
		want := map[testcontainers.Engine]string{
			testcontainers.EnginePostgres: "products",    // Index Scan using products_sku_key on products
			testcontainers.EngineMySQL:    "select_type", // the header of MariaDB's table
			testcontainers.EngineSQLite:   "QUERY PLAN\n`--SEARCH products USING INDEX",
		}[tdb.Engine]
		if !strings.Contains(plan, want) {
			t.Errorf("plan does not contain %q:\n%s", want, plan)
		}

		analyzed, err := db.Explain(ctx, sel, conn.ExplainOptions{Analyze: true})
		if tdb.Engine == testcontainers.EngineSQLite {
			if !errors.Is(err, conn.ErrNotSupported) || !strings.Contains(err.Error(), "sqlite") {
				t.Errorf("Analyze on SQLite: %v; want ErrNotSupported naming sqlite", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("analyzed:\n%s", analyzed)
		want = map[testcontainers.Engine]string{
			testcontainers.EnginePostgres: "actual time=",
			testcontainers.EngineMySQL:    "r_rows",
		}[tdb.Engine]
		if !strings.Contains(analyzed, want) {
			t.Errorf("analyzed plan does not contain %q:\n%s", want, analyzed)
		}

		// An analyzed write runs and is undone, outside a block and inside one.
		upd := builder.Update(P).Set(P.Stock.Set(1000)).Where(P.SKU.Eq("sku-000007"))
		if _, err := db.Explain(ctx, upd, conn.ExplainOptions{Analyze: true}); err != nil {
			t.Fatal(err)
		}
		err = db.Atomic(ctx, func(ctx context.Context) error {
			if _, err := db.Explain(ctx, productRows(1000, 3), conn.ExplainOptions{Analyze: true}); err != nil {
				return err
			}
			_, err := db.Exec(ctx, productRows(2000, 1)) // the block goes on
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		stock, err := conn.Scalar[int64](ctx, db, builder.Select(P.Stock).From(P).Where(P.SKU.Eq("sku-000007")))
		if err != nil || stock != 0 {
			t.Errorf("stock after the analyzed UPDATE: %d, %v; want 0 (undone)", stock, err)
		}
		if n := countProducts(t, ctx, db); n != 51 {
			t.Errorf("%d rows after the analyzed INSERT, want 51 (50 and the block's own)", n)
		}
	})
}

// TestExplainSQLText: SQL text explains with its own arguments.
func TestExplainSQLText(t *testing.T) {
	db := productsDB(t, testcontainers.SQLite(t).URL)
	plan, err := db.Explain(t.Context(), conn.SQL("SELECT id FROM products WHERE id = ?"), conn.ExplainOptions{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "SEARCH products USING INTEGER PRIMARY KEY (rowid=?)") {
		t.Errorf("plan:\n%s", plan)
	}
}
