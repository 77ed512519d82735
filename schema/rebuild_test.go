package schema_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

// itemsV2Table is the next version of the items table below: note becomes NOT NULL with a
// default, price gets a check, and a column is added; SQLite can only rebuild for that.
type itemsV2Table struct {
	expr.Table `schema:"check=price >= 0"`
	ID         expr.Column[int64]   `db:"id" schema:"identity"`
	Name       expr.Column[string]  `db:"name" schema:"index=ix_items_name"`
	Price      expr.Column[float64] `db:"price"`
	Note       expr.Column[string]  `db:"note" schema:"default=''"`
	Stock      expr.Column[int64]   `db:"stock" schema:"default=0"`
}

type itemsStrictTable struct {
	expr.Table `schema:"check=price >= 1000"` // no row passes
	ID         expr.Column[int64]             `db:"id" schema:"identity"`
	Name       expr.Column[string]            `db:"name" schema:"index=ix_items_name"`
	Price      expr.Column[float64]           `db:"price"`
	Note       expr.Nullable[string]          `db:"note"`
}

const itemsFingerprint = `SELECT COUNT(*) || ':' || SUM(id) || ':' || SUM(length(name)) || ':' || TOTAL(price) || ':' ||
	(SELECT COUNT(*) FROM reviews) || ':' || (SELECT COUNT(*) FROM tags) || ':' || (SELECT SUM(n) FROM item_reviews) FROM items`

// TestSQLiteRebuild loads 10,000 rows into a table that two tables reference, with an index,
// a trigger and a view over it, rebuilds it through Diff and Apply, and checks that every row,
// the index, both incoming keys (still enforced, still cascading), the trigger and the view
// are there. A rebuild that fails (a check no row passes) changes nothing.
func TestSQLiteRebuild(t *testing.T) {
	ctx := context.Background()
	db := open(t, testcontainers.SQLite(t))
	exec := func(q string, args ...any) error {
		_, err := db.Exec(ctx, conn.SQL(q), args...)
		return err
	}
	for _, s := range []string{
		`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL, note TEXT)`,
		`CREATE INDEX ix_items_name ON items (name)`,
		`CREATE TABLE reviews (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE, stars INTEGER)`,
		`CREATE TABLE tags (item_id INTEGER NOT NULL REFERENCES items (id), tag TEXT NOT NULL)`,
		`CREATE TABLE audit (item_id INTEGER, what TEXT)`,
		`CREATE TRIGGER items_audit AFTER UPDATE OF price ON items BEGIN INSERT INTO audit VALUES (new.id, 'price'); END`,
		`CREATE VIEW item_reviews AS SELECT items.id, items.name, COUNT(reviews.id) AS n FROM items LEFT JOIN reviews ON reviews.item_id = items.id GROUP BY items.id`,
	} {
		if err := exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	err := db.Atomic(ctx, func(ctx context.Context) error {
		for i := 1; i <= 10000; i++ {
			if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO items (id, name, price, note) VALUES (?, ?, ?, ?)`),
				i, "item "+strings.Repeat("x", i%17), float64(i)/4, nil); err != nil {
				return err
			}
			if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO reviews (item_id, stars) VALUES (?, ?)`), i, i%5); err != nil {
				return err
			}
			if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO tags (item_id, tag) VALUES (?, 't')`), i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	before, err := conn.Scalar[string](ctx, db, conn.SQL(itemsFingerprint))
	if err != nil {
		t.Fatal(err)
	}
	if err := exec(`UPDATE items SET note = 'n'`); err != nil {
		t.Fatal(err)
	}

	// A rebuild that fails at the copy leaves everything as it was.
	plan, err := schema.Diff(ctx, db, expr.NewTable[itemsStrictTable]("items"))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Apply(ctx, db, plan, schema.AllowDestructive()); err == nil || !strings.Contains(err.Error(), "CHECK constraint failed") {
		t.Fatalf("failing rebuild: %v\n%v", err, plan)
	}
	if after, err := conn.Scalar[string](ctx, db, conn.SQL(itemsFingerprint)); err != nil || after != before {
		t.Fatalf("after a failed rebuild: %s, %v; want %s", after, err, before)
	}

	items := expr.NewTable[itemsV2Table]("items")
	plan, err = schema.Diff(ctx, db, items)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Changes) != 1 || plan.Changes[0].Kind != schema.RebuildTable {
		t.Fatalf("plan: %v", plan)
	}
	if err := schema.Apply(ctx, db, plan); err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(plan.SQL(), ";\n"))
	}
	if after, err := conn.Scalar[string](ctx, db, conn.SQL(itemsFingerprint)); err != nil || after != before {
		t.Errorf("rows after the rebuild: %s, %v; want %s", after, err, before)
	}
	if err := schema.Check(ctx, db, items); err != nil {
		t.Error(err)
	}
	if plan, err := schema.Diff(ctx, db, items); err != nil || !plan.Empty() {
		t.Errorf("diff after the rebuild: %v, %v", plan, err)
	}
	live, err := schema.Inspect(ctx, db, "", "items")
	if err != nil || len(live.Indexes) != 1 || live.Indexes[0].Name != "ix_items_name" {
		t.Errorf("index after the rebuild: %+v, %v", live.Indexes, err)
	}
	if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM items WHERE note = 'n' AND stock = 0`)); err != nil || n != 10000 {
		t.Errorf("copied notes and the new column's default: %d, %v", n, err)
	}
	// Both incoming keys still point at items and are enforced; the cascade still runs.
	if err := exec(`INSERT INTO tags (item_id, tag) VALUES (10001, 'x')`); !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("tags -> items after the rebuild: %v, want ErrIntegrity", err)
	}
	if err := exec(`INSERT INTO reviews (item_id) VALUES (10001)`); !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("reviews -> items after the rebuild: %v, want ErrIntegrity", err)
	}
	if err := exec(`DELETE FROM tags WHERE item_id = 1`); err != nil {
		t.Fatal(err)
	}
	if err := exec(`DELETE FROM items WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM reviews WHERE item_id = 1`)); err != nil || n != 0 {
		t.Errorf("ON DELETE CASCADE after the rebuild: %d reviews left, %v", n, err)
	}
	if err := exec(`UPDATE items SET price = -1 WHERE id = 2`); !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("the new check: %v, want ErrIntegrity", err)
	}
	if err := exec(`UPDATE items SET price = 99 WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM audit`)); err != nil || n != 1 {
		t.Errorf("the trigger after the rebuild: %d audit rows, %v", n, err)
	}
	if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT SUM(n) FROM item_reviews`)); err != nil || n != 9999 {
		t.Errorf("the view after the rebuild: %d, %v", n, err)
	}
}

// cutOff cancels the statement context when a statement starting with prefix is about to
// run, as a connection lost at that point would end it.
type cutOff struct {
	prefix string
	cancel context.CancelFunc
}

func (c *cutOff) TraceQueryStart(ctx context.Context, d conn.TraceQueryStartData) context.Context {
	if strings.HasPrefix(d.SQL, c.prefix) {
		c.cancel()
	}
	return ctx
}

func (c *cutOff) TraceQueryEnd(context.Context, conn.TraceQueryEndData) {}

// TestSQLiteRebuildCutOff: a rebuild whose connection goes away after the old table was
// dropped and before the new one took its name leaves the table, its rows and its index as
// they were, no half-built table, and foreign keys enforced.
func TestSQLiteRebuildCutOff(t *testing.T) {
	ctx := context.Background()
	tdb := testcontainers.SQLite(t)
	tr := &cutOff{prefix: `ALTER TABLE "_typedsql_new_items" RENAME`}
	db, err := conn.Open(ctx, tdb.URL, conn.WithTracer(tr))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := schema.Create(ctx, db, expr.NewTable[benchItemsA]("items")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`CREATE TABLE refs (item_id INTEGER REFERENCES items (id))`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
			INSERT INTO items (id, name, price) SELECT i, 'item ' || i, i FROM n`,
		`INSERT INTO refs VALUES (5)`,
	} {
		if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
			t.Fatal(err)
		}
	}
	plan, err := schema.Diff(ctx, db, expr.NewTable[benchItemsB]("items"))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	tr.cancel = cancel
	err = schema.Apply(runCtx, db, plan)
	if err == nil {
		t.Fatal("Apply succeeded although its context ended mid-rebuild")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM items`))
	if err != nil || n != 1000 {
		t.Fatalf("items after the cut-off rebuild: %d, %v", n, err)
	}
	if plan, err := schema.Diff(ctx, db, expr.NewTable[benchItemsA]("items")); err != nil || !plan.Empty() {
		t.Errorf("the table changed: %v, %v", plan, err)
	}
	if _, err := schema.Inspect(ctx, db, "", "_typedsql_new_items"); !errors.Is(err, schema.ErrNoTable) {
		t.Errorf("the half-built table is there: %v", err)
	}
	// The connection that had foreign keys off went away with the cut-off; the pool enforces them.
	err = db.Atomic(ctx, func(ctx context.Context) error {
		on, err := conn.Scalar[int64](ctx, db, conn.SQL(`PRAGMA foreign_keys`))
		if err == nil && on != 1 {
			t.Errorf("PRAGMA foreign_keys = %d after the cut-off rebuild", on)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, conn.SQL(`DELETE FROM items WHERE id = 5`)); !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("deleting a referenced item: %v, want ErrIntegrity", err)
	}
}

// TestSQLiteRebuildInTransaction: a rebuild inside a transaction (a Go migration's) with
// foreign keys enforced would let DROP TABLE cascade into the tables pointing at it, because
// PRAGMA foreign_keys cannot change in a transaction: it is refused, the rows stay, and the
// same migration with NoTransaction rebuilds the table and keeps them.
func TestSQLiteRebuildInTransaction(t *testing.T) {
	ctx := context.Background()
	db := open(t, testcontainers.SQLite(t))
	if _, err := db.Exec(ctx, conn.SQL(`CREATE TABLE p (id INTEGER PRIMARY KEY, n INTEGER)`)); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`CREATE TABLE c (pid INTEGER REFERENCES p (id) ON DELETE CASCADE)`,
		`INSERT INTO p VALUES (1, 1)`, `INSERT INTO c VALUES (1)`} {
		if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
			t.Fatal(err)
		}
	}
	mg := schema.GoMigration(1, "default n", func(ctx context.Context, db *conn.DB) error {
		return schema.Alter(ctx, db, "", "p", schema.SetDefaultOp("n", "0"))
	})
	children := func() int64 {
		n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM c`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	m, err := schema.NewMigrator(db, []schema.Migration{mg})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(ctx); !errors.Is(err, schema.ErrUnsupportedChange) || !strings.Contains(err.Error(), "NoTransaction") {
		t.Fatalf("a rebuild in the migration's transaction: %v", err)
	}
	if n := children(); n != 1 {
		t.Fatalf("rows of the table pointing in: %d, want 1", n)
	}
	mg.NoTransaction = true
	if m, err = schema.NewMigrator(db, []schema.Migration{mg}); err != nil {
		t.Fatal(err)
	}
	if applied, err := m.Up(ctx); err != nil || len(applied) != 1 {
		t.Fatalf("with NoTransaction: %v, %v", applied, err)
	}
	if n := children(); n != 1 {
		t.Errorf("rows of the table pointing in after the rebuild: %d, want 1", n)
	}
	if live, err := schema.Inspect(ctx, db, "", "p"); err != nil || live.Columns[1].Default != "0" {
		t.Errorf("after the migration: %+v, %v", live.Columns, err)
	}
}
