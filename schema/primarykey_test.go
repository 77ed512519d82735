package schema_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

type seatsV1 struct {
	expr.Table
	Row   expr.Column[string] `db:"row_name" schema:"pk;size=10"`
	Seat  expr.Column[int32]  `db:"seat"`
	Price expr.Column[int64]  `db:"price"`
}

// seatsV2 widens the primary key to two columns.
type seatsV2 struct {
	expr.Table
	Row   expr.Column[string] `db:"row_name" schema:"pk;size=10"`
	Seat  expr.Column[int32]  `db:"seat" schema:"pk"`
	Price expr.Column[int64]  `db:"price"`
}

// seatsV3 gives the table an identity column as its key instead.
type seatsV3 struct {
	expr.Table
	Row   expr.Column[string] `db:"row_name" schema:"size=10"`
	Seat  expr.Column[int32]  `db:"seat"`
	Price expr.Column[int64]  `db:"price"`
	ID    expr.Column[int64]  `db:"id" schema:"identity"`
}

// TestDiffPrimaryKey: Diff plans a changed primary key and a new identity column (which
// numbers the rows already there) on each engine, Apply runs them with rows in the table,
// and the diff is empty after each.
func TestDiffPrimaryKey(t *testing.T) {
	v1, v2, v3 := expr.NewTable[seatsV1]("seats"), expr.NewTable[seatsV2]("seats"), expr.NewTable[seatsV3]("seats")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, v1); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, `INSERT INTO seats (row_name, seat, price) VALUES ('a', 1, 10), ('b', 1, 20)`)
		for _, step := range []struct {
			desc any
			pk   []string
		}{{v2, []string{"row_name", "seat"}}, {v3, []string{"id"}}} {
			plan, err := schema.Diff(ctx, db, step.desc)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Empty() || slices.ContainsFunc(plan.Changes, func(c schema.Change) bool { return c.Unsupported != "" }) {
				t.Fatalf("plan for primary key %v:\n%v", step.pk, plan)
			}
			if err := schema.Apply(ctx, db, plan); err != nil {
				t.Fatalf("%v\n%s", err, strings.Join(plan.SQL(), "\n"))
			}
			if plan, err := schema.Diff(ctx, db, step.desc); err != nil || !plan.Empty() {
				t.Errorf("diff after Apply: %v, %v", plan, err)
			}
			live, err := schema.Inspect(ctx, db, "", "seats")
			if err != nil || !slices.Equal(live.PrimaryKey, step.pk) {
				t.Errorf("primary key %v, want %v (%v)", live.PrimaryKey, step.pk, err)
			}
		}
		// The rows there before were numbered; a new row takes the next number.
		mustExec(t, db, `INSERT INTO seats (row_name, seat, price) VALUES ('a', 1, 30)`)
		ids, err := conn.All[int64](ctx, db, conn.SQL(`SELECT id FROM seats ORDER BY price`))
		if err != nil || len(ids) != 3 || ids[0] == ids[1] || ids[2] <= max(ids[0], ids[1]) {
			t.Errorf("ids %v, %v", ids, err)
		}
	})
}

type ledgerTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id" schema:"identity"`
	Amount expr.Column[int64]  `db:"amount" schema:"index"`
	Memo   expr.Column[string] `db:"memo" schema:"default=''"`
}

// TestCreateInSchema: Create makes the descriptor's schema where the engine has schemas
// (PostgreSQL; on MariaDB a database), and on SQLite creates the table and its index in an
// attached database, with the schema on the index's name. Diff and Alter work there too.
func TestCreateInSchema(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		var opts []conn.Option
		name := "acct"
		switch tdb.Engine {
		case testcontainers.EngineSQLite:
			file := filepath.Join(t.TempDir(), "acct.db")
			opts = append(opts, conn.WithInit(func(ctx context.Context, c conn.InitConn) error {
				return c.Exec(ctx, `ATTACH DATABASE '`+file+`' AS acct`)
			}))
		case testcontainers.EngineMySQL: // a schema is a database: one of the test's own
			name = tdb.Name[:min(len(tdb.Name), 55)] + "_acct"
		}
		db, err := conn.Open(ctx, tdb.URL, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if tdb.Engine == testcontainers.EngineMySQL {
			t.Cleanup(func() { db.Exec(context.Background(), conn.SQL("DROP DATABASE IF EXISTS `"+name+"`")) })
		}
		ledger := expr.NewTable[ledgerTable]("ledger", expr.InSchema(name))
		if err := schema.Create(ctx, db, ledger); err != nil {
			t.Fatal(err)
		}
		if err := schema.CreateIfNotExists(ctx, db, ledger); err != nil {
			t.Fatal(err)
		}
		live, err := schema.Inspect(ctx, db, name, "ledger")
		if err != nil || len(live.Indexes) != 1 {
			t.Fatalf("%s.ledger: %+v, %v", name, live, err)
		}
		if plan, err := schema.Diff(ctx, db, ledger); err != nil || !plan.Empty() {
			t.Errorf("diff: %v, %v", plan, err)
		}
		err = schema.Alter(ctx, db, name, "ledger", schema.DropIndexOp("ix_ledger_amount"),
			schema.AddIndexOp(schema.Index{Name: "ix_ledger_memo", Keys: schema.Keys("memo")}))
		if err != nil {
			t.Fatal(err)
		}
		if live, err := schema.Inspect(ctx, db, name, "ledger"); err != nil || len(live.Indexes) != 1 || live.Indexes[0].Name != "ix_ledger_memo" {
			t.Errorf("after Alter: %+v, %v", live.Indexes, err)
		}
		if _, err := schema.Inspect(ctx, db, "", "ledger"); err == nil {
			t.Error("ledger found in the default schema")
		}
	})
}

// TestCreateSQLSchemas is the SQL that makes a table in a schema, on each engine.
func TestCreateSQLSchemas(t *testing.T) {
	ledger := expr.NewTable[ledgerTable]("ledger", expr.InSchema("acct"))
	for _, c := range []struct {
		d    dialect.Dialect
		want []string
	}{
		{dialect.Postgres, []string{`CREATE SCHEMA IF NOT EXISTS "acct"`,
			`CREATE TABLE "acct"."ledger" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "amount" BIGINT NOT NULL, "memo" TEXT NOT NULL DEFAULT '')`,
			`CREATE INDEX "ix_ledger_amount" ON "acct"."ledger" ("amount")`}},
		{dialect.MySQL, []string{"CREATE SCHEMA IF NOT EXISTS `acct`",
			"CREATE TABLE `acct`.`ledger` (`id` BIGINT AUTO_INCREMENT PRIMARY KEY, `amount` BIGINT NOT NULL, `memo` TEXT NOT NULL DEFAULT '', INDEX `ix_ledger_amount` (`amount`))"}},
		{dialect.SQLite, []string{
			`CREATE TABLE "acct"."ledger" ("id" INTEGER PRIMARY KEY, "amount" INTEGER NOT NULL, "memo" TEXT NOT NULL DEFAULT '')`,
			`CREATE INDEX "acct"."ix_ledger_amount" ON "ledger" ("amount")`}},
	} {
		got, err := schema.CreateSQL(c.d, mustDescribe(c.d, ledger), false)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s:\n%s\nwant:\n%s\n%v", c.d.Name(), strings.Join(got, "\n"), strings.Join(c.want, "\n"), err)
		}
	}
}

// TestAlterPrimaryKey: SetPrimaryKeyOp narrows a composite key to one column, then removes
// it, with rows in the table, on each engine (SQLite by rebuilds).
func TestAlterPrimaryKey(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, expr.NewTable[seatsV2]("seats")); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, `INSERT INTO seats (row_name, seat, price) VALUES ('a', 1, 10), ('b', 1, 20)`)
		for _, pk := range [][]string{{"row_name"}, nil} {
			if err := schema.Alter(ctx, db, "", "seats", schema.SetPrimaryKeyOp(pk...)); err != nil {
				t.Fatalf("primary key %v: %v", pk, err)
			}
			live, err := schema.Inspect(ctx, db, "", "seats")
			if err != nil || !slices.Equal(live.PrimaryKey, pk) {
				t.Errorf("primary key %v, want %v (%v)", live.PrimaryKey, pk, err)
			}
		}
		mustExec(t, db, `INSERT INTO seats (row_name, seat, price) VALUES ('a', 1, 30)`) // no key: a duplicate is fine
		if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM seats`)); err != nil || n != 3 {
			t.Errorf("rows: %d, %v", n, err)
		}
	})
}
