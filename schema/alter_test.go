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

type shopsTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id" schema:"identity"`
}

type wares struct {
	expr.Table
	ID     expr.Column[int64]    `db:"id" schema:"identity"`
	Name   expr.Column[string]   `db:"name" schema:"size=20"`
	Price  expr.Column[float64]  `db:"price"`
	Note   expr.Nullable[string] `db:"note"`
	ShopID expr.Nullable[int64]  `db:"shop_id"`
}

// wareLinks points at wares: a foreign key into the table Alter changes.
type wareLinks struct {
	expr.Table
	WareID expr.Column[int64] `db:"ware_id" schema:"references=wares(id);ondelete=cascade"`
}

func mustExec(t *testing.T, db *conn.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(context.Background(), conn.SQL(s)); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func planKinds(p schema.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, c.Kind.String())
	}
	return out
}

// TestAlterOps runs every column, index and constraint operation on a table with rows, a
// foreign key pointing in and (once added) one pointing out, checks each by what the engine
// then does (a rejected row, a default filled in), by Inspect, and that no row was lost.
func TestAlterOps(t *testing.T) {
	shops, ws, links := expr.NewTable[shopsTable]("shops"), expr.NewTable[wares]("wares"), expr.NewTable[wareLinks]("ware_links")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, shops, ws, links); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, `INSERT INTO shops (id) VALUES (1)`,
			`INSERT INTO wares (name, price, note) VALUES ('a', 1.5, 'x'), ('b', 2, NULL)`,
			`INSERT INTO ware_links (ware_id) VALUES (1), (2)`)
		sqlite := tdb.Engine == testcontainers.EngineSQLite
		if sqlite {
			mustExec(t, db, `CREATE VIEW cheap_wares AS SELECT id, name FROM wares WHERE price < 2`)
		}

		// Columns: one added, a type widened, nullability and a default changed.
		ops := []schema.Op{
			schema.AddColumnOp[expr.Column[int32]]("stock", "default=0"),
			schema.AddColumnOp[expr.Nullable[string]]("sku", "size=30"),
			schema.AlterColumnOp[expr.Column[string]]("name", "size=100"),
			schema.SetNullableOp("price", true),
			schema.SetDefaultOp("note", "'none'"),
		}
		plan, err := schema.AlterPlan(ctx, db, "", "wares", ops...)
		if err != nil {
			t.Fatal(err)
		}
		if sqlite && !slices.Equal(planKinds(plan), []string{"rebuild table"}) {
			t.Errorf("SQLite plan (a type change needs a rebuild): %v", plan)
		}
		if err := schema.Alter(ctx, db, "", "wares", ops...); err != nil {
			t.Fatalf("%v\n%q", err, plan.SQL())
		}
		mustExec(t, db, `INSERT INTO wares (name, price) VALUES ('`+strings.Repeat("n", 60)+`', NULL)`)
		if note, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT note FROM wares WHERE price IS NULL`)); err != nil || note != "none" {
			t.Errorf("the new default: %q, %v", note, err)
		}
		if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT SUM(stock) + COUNT(*) FROM wares`)); err != nil || n != 3 {
			t.Errorf("rows after altering columns: %d, %v", n, err)
		}

		// Keys and constraints, added.
		err = schema.Alter(ctx, db, "", "wares",
			schema.AddIndexOp(schema.Index{Name: "ix_wares_sku", Keys: schema.Keys("sku")}),
			schema.AddUniqueOp("uq_wares_name", "name"),
			schema.AddCheckOp("ck_wares_stock", "stock >= 0"),
			schema.AddForeignKeyOp(schema.ForeignKey{Columns: []string{"shop_id"}, RefTable: "shops", RefColumns: []string{"id"}}),
		)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO wares (name, price) VALUES ('a', 1)`,             // unique
			`INSERT INTO wares (name, price, stock) VALUES ('c', 1, -1)`,  // check
			`INSERT INTO wares (name, price, shop_id) VALUES ('d', 1, 9)`, // foreign key
		} {
			if _, err := db.Exec(ctx, conn.SQL(q)); !errors.Is(err, conn.ErrIntegrity) {
				t.Errorf("%s: %v, want an integrity error", q, err)
			}
		}
		live, err := schema.Inspect(ctx, db, "", "wares")
		if err != nil {
			t.Fatal(err)
		}
		if len(live.Indexes) != 1 || len(live.Uniques) != 1 || len(live.ForeignKeys) != 1 {
			t.Errorf("after adding: indexes %v, uniques %v, foreign keys %v", live.Indexes, live.Uniques, live.ForeignKeys)
		}

		// ... and dropped, with a column.
		err = schema.Alter(ctx, db, "", "wares",
			schema.DropIndexOp("ix_wares_sku"),
			schema.DropUniqueOp("name"),
			schema.DropCheckOp("ck_wares_stock"),
			schema.DropForeignKeyOp("shop_id"),
			schema.DropColumnOp("note"),
		)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, `INSERT INTO wares (name, price, stock, shop_id) VALUES ('a', 1, -1, 9)`)
		live, err = schema.Inspect(ctx, db, "", "wares")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := live.Column("note"); ok || len(live.Indexes)+len(live.Uniques)+len(live.ForeignKeys) != 0 {
			t.Errorf("after dropping: %+v", live)
		}
		// The key pointing in still holds and cascades; the rows are all there.
		if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO ware_links (ware_id) VALUES (12345)`)); !errors.Is(err, conn.ErrIntegrity) {
			t.Errorf("the incoming foreign key after Alter: %v", err)
		}
		mustExec(t, db, `DELETE FROM wares WHERE id = 1`)
		if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM ware_links`)); err != nil || n != 1 {
			t.Errorf("cascade after Alter: %d rows, %v", n, err)
		}
		if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM wares`)); err != nil || n != 3 {
			t.Errorf("rows: %d, %v", n, err)
		}
		if sqlite {
			if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM cheap_wares`)); err != nil || n != 1 {
				t.Errorf("the view after the rebuilds: %d, %v", n, err)
			}
		}
	})
}

// TestAlterSQL is the SQL each engine's plan holds, statement by statement.
func TestAlterSQL(t *testing.T) {
	shops, ws := expr.NewTable[shopsTable]("shops"), expr.NewTable[wares]("wares")
	ops := []schema.Op{
		schema.AddColumnOp[expr.Column[int32]]("stock", "default=0"),
		schema.SetDefaultOp("note", "'none'"),
		schema.AddIndexOp(schema.Index{Name: "ix_wares_price", Keys: schema.Keys("price")}),
		schema.DropColumnOp("shop_id"),
	}
	want := map[testcontainers.Engine][]string{
		testcontainers.EnginePostgres: {
			`ALTER TABLE "wares" ALTER COLUMN "note" SET DEFAULT 'none'`,
			`ALTER TABLE "wares" ADD COLUMN "stock" INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE "wares" DROP COLUMN "shop_id"`,
			`CREATE INDEX "ix_wares_price" ON "wares" ("price")`,
		},
		testcontainers.EngineMySQL: {
			"ALTER TABLE `wares` MODIFY COLUMN `note` text DEFAULT 'none'",
			"ALTER TABLE `wares` ADD COLUMN `stock` INT NOT NULL DEFAULT 0",
			"ALTER TABLE `wares` DROP COLUMN `shop_id`",
			"CREATE INDEX `ix_wares_price` ON `wares` (`price`)",
		},
		testcontainers.EngineSQLite: { // native ALTER TABLE: no rebuild
			`ALTER TABLE "wares" ADD COLUMN "stock" INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE "wares" DROP COLUMN "shop_id"`,
			`CREATE INDEX "ix_wares_price" ON "wares" ("price")`,
		},
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, shops, ws); err != nil {
			t.Fatal(err)
		}
		o := ops
		if tdb.Engine == testcontainers.EngineSQLite {
			o = slices.Delete(slices.Clone(ops), 1, 2) // a default is a rebuild there
		}
		plan, err := schema.AlterPlan(ctx, db, "", "wares", o...)
		if err != nil {
			t.Fatal(err)
		}
		if got := plan.SQL(); !slices.Equal(got, want[tdb.Engine]) {
			t.Errorf("SQL:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want[tdb.Engine], "\n"))
		}
		if err := schema.Alter(ctx, db, "", "wares", o...); err != nil {
			t.Fatal(err)
		}
		if plan, err := schema.AlterPlan(ctx, db, "", "wares"); err != nil || !plan.Empty() {
			t.Errorf("no ops after Alter: %v, %v", plan, err)
		}
	})
}

// TestAlterErrors: an op that does not fit the table is an error naming the op and the
// table, before anything runs.
func TestAlterErrors(t *testing.T) {
	ctx := context.Background()
	db := open(t, testcontainers.SQLite(t))
	if err := schema.Create(ctx, db, expr.NewTable[shopsTable]("shops"), expr.NewTable[wares]("wares")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		op   schema.Op
		want string
	}{
		{schema.DropColumnOp("nope"), `drop column nope on table "wares": no column "nope"`},
		{schema.AddColumnOp[expr.Column[string]]("name", ""), `column "name" exists already`},
		{schema.AddColumnOp[expr.Column[chan int]]("c", ""), "Go type chan int has no sqlite column type"},
		{schema.AddColumnOp[expr.Column[int64]]("c", "unique"), "are ops of their own"},
		{schema.DropIndexOp("ix_nope"), `no index "ix_nope"`},
		{schema.DropForeignKeyOp("note"), "no foreign key on [note]"},
		{schema.DropColumnOp("id"), "in the primary key"},
	} {
		err := schema.Alter(ctx, db, "", "wares", schema.AddColumnOp[expr.Nullable[string]]("extra", ""), c.op)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.op, err, c.want)
		}
	}
	if live, err := schema.Inspect(ctx, db, "", "wares"); err != nil || len(live.Columns) != 5 {
		t.Errorf("a refused Alter changed the table: %v, %v", live.Columns, err)
	}
	if err := schema.Alter(ctx, db, "", "nope", schema.DropColumnOp("x")); !errors.Is(err, schema.ErrNoTable) {
		t.Errorf("a missing table: %v", err)
	}
}

// TestDropTable drops a table by name.
func TestDropTable(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		mustExec(t, db, `CREATE TABLE gone (id INTEGER)`)
		if err := schema.DropTable(ctx, db, "", "gone"); err != nil {
			t.Fatal(err)
		}
		if _, err := schema.Inspect(ctx, db, "", "gone"); !errors.Is(err, schema.ErrNoTable) {
			t.Errorf("after DropTable: %v", err)
		}
	})
}

// TestAlterSQLiteRefusesLossyRebuild: a SQLite table declared with what the schema model does
// not hold (AUTOINCREMENT, COLLATE) is not rebuilt, which would drop it silently; changes
// SQLite's ALTER TABLE makes natively still run.
func TestAlterSQLiteRefusesLossyRebuild(t *testing.T) {
	ctx := context.Background()
	db := open(t, testcontainers.SQLite(t))
	mustExec(t, db, `CREATE TABLE tickets (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL COLLATE NOCASE, n INTEGER)`,
		`INSERT INTO tickets (code, n) VALUES ('a', 1)`)
	err := schema.Alter(ctx, db, "", "tickets", schema.SetDefaultOp("n", "0"))
	if !errors.Is(err, schema.ErrUnsupportedChange) || !strings.Contains(err.Error(), "AUTOINCREMENT, COLLATE") {
		t.Fatalf("a rebuild that would lose AUTOINCREMENT and COLLATE: %v", err)
	}
	if err := schema.Alter(ctx, db, "", "tickets", schema.AddColumnOp[expr.Nullable[string]]("note", "")); err != nil {
		t.Fatal(err)
	}
	if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM tickets WHERE code = 'A'`)); err != nil || n != 1 {
		t.Errorf("COLLATE NOCASE after a native ADD COLUMN: %d, %v", n, err)
	}
}
