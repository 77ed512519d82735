package conn_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestEqAny: a typed list of any length is one array argument on PostgreSQL (= ANY($1)) and
// an IN list elsewhere; both select the same rows, and an empty list selects none.
func TestEqAny(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := productsDB(t, tdb.URL)
		if _, err := db.InsertBatched(ctx, productRows(0, 20)); err != nil {
			t.Fatal(err)
		}
		P := bulkProducts
		skus := func(q *builder.SelectStmt) []string {
			t.Helper()
			got, err := conn.All[string](ctx, db, q.OrderBy(P.SKU.Asc()))
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		q := builder.Select(P.SKU).From(P).Where(P.SKU.EqAny([]string{"sku-000003", "sku-000011", "nope"}))
		if got := skus(q); !slices.Equal(got, []string{"sku-000003", "sku-000011"}) {
			t.Errorf("EqAny of strings: %v", got)
		}
		sql, args, err := q.Build(db.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		wantSQL, wantArgs := "IN (?, ?, ?)", 3
		if db.Dialect().Caps().ArrayParams {
			wantSQL, wantArgs = `"sku" = ANY($1)`, 1
		}
		if !strings.Contains(sql, wantSQL) || len(args) != wantArgs {
			t.Errorf("%s %v; want %s with %d arguments", sql, args, wantSQL, wantArgs)
		}
		if got := skus(builder.Select(P.SKU).From(P).Where(P.Stock.EqAny([]int64{0}), P.Price.EqAny([]float64{0.5, 7.5, 14.5}))); !slices.Equal(got, []string{"sku-000000", "sku-000007", "sku-000014"}) {
			t.Errorf("EqAny of numbers: %v", got)
		}
		if got := skus(builder.Select(P.SKU).From(P).Where(P.ID.EqAny(nil))); len(got) != 0 {
			t.Errorf("EqAny of nothing: %v", got)
		}

		// 70,000 ids: one argument on PostgreSQL; elsewhere more than one statement takes.
		ids := make([]int64, 70000)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		n, err := conn.Scalar[int64](ctx, db, builder.Select(expr.Count(P.ID)).From(P).Where(P.ID.EqAny(ids)))
		if db.Dialect().Caps().ArrayParams {
			if err != nil || n != 20 {
				t.Errorf("70,000 ids: %d, %v; want 20", n, err)
			}
		} else if !errors.Is(err, conn.ErrProgramming) {
			t.Errorf("70,000 ids without array parameters: %v; want ErrProgramming (too many arguments)", err)
		}
	})
}
