package schema_test

import (
	"context"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

// money is a decimal type that names its own column type.
type money struct{ units int64 }

func (money) ColumnType(dialect.Dialect) string { return "NUMERIC(20,4)" }

type pricesTable struct {
	expr.Table
	ID    expr.Column[int64]   `db:"id" schema:"pk"`
	Price expr.Column[money]   `db:"price"`
	Code  expr.Column[string]  `db:"code" schema:"type=CHAR(3);unique"`
	Tax   expr.Nullable[money] `db:"tax"`
}

type shopCustomersTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id" schema:"identity"`
}

type shopOrdersTable struct {
	expr.Table
	ID         expr.Column[int64]   `db:"id" schema:"identity"`
	CustomerID expr.Column[int64]   `db:"customer_id" schema:"references=shop.customers(id);index"`
	AuditID    expr.Nullable[int64] `db:"audit_id" schema:"references=audit.entries(id)"`
}

type auditEntriesTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id" schema:"identity"`
}

// TestColumnTyperAndTypeOverride: a Go type implementing ColumnTyper and a type= tag give the
// column type on each engine, and Check and Diff accept what they created.
func TestColumnTyperAndTypeOverride(t *testing.T) {
	prices := expr.NewTable[pricesTable]("prices")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, prices); err != nil {
			t.Fatal(err)
		}
		live, err := schema.Inspect(ctx, db, "", "prices")
		if err != nil {
			t.Fatal(err)
		}
		price, _ := live.Column("price")
		code, _ := live.Column("code")
		if code.Length != 3 || price.Type == "" {
			t.Errorf("columns %+v", live.Columns)
		}
		if _, err := db.Exec(ctx, conn.SQL(`INSERT INTO prices (id, price, code) VALUES (1, 12.3456, 'EUR')`)); err != nil {
			t.Fatal(err)
		}
		if err := schema.Check(ctx, db, prices); err != nil {
			t.Error(err)
		}
		if plan, err := schema.Diff(ctx, db, prices); err != nil || !plan.Empty() {
			t.Errorf("diff: %v, %v", plan, err)
		}
	})
}

// TestCreateInSchemas: descriptors in two PostgreSQL schemas, one referencing the other,
// create, check and diff clean.
func TestCreateInSchemas(t *testing.T) {
	ctx := context.Background()
	db := open(t, testcontainers.Postgres(t))
	for _, s := range []string{`CREATE SCHEMA shop`, `CREATE SCHEMA audit`} {
		if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
			t.Fatal(err)
		}
	}
	tables := []any{
		expr.NewTable[shopOrdersTable]("orders", expr.InSchema("shop")),
		expr.NewTable[auditEntriesTable]("entries", expr.InSchema("audit")),
		expr.NewTable[shopCustomersTable]("customers", expr.InSchema("shop")),
	}
	if err := schema.Create(ctx, db, tables...); err != nil {
		t.Fatal(err)
	}
	if err := schema.Check(ctx, db, tables...); err != nil {
		t.Error(err)
	}
	if plan, err := schema.Diff(ctx, db, tables...); err != nil || !plan.Empty() {
		t.Errorf("diff: %v, %v", plan, err)
	}
	orders, err := schema.Inspect(ctx, db, "shop", "orders")
	if err != nil || len(orders.ForeignKeys) != 2 || orders.ForeignKeys[0].RefSchema != "audit" && orders.ForeignKeys[1].RefSchema != "audit" {
		t.Errorf("shop.orders: %+v, %v", orders.ForeignKeys, err)
	}
	if _, err := schema.Inspect(ctx, db, "", "orders"); err == nil {
		t.Error("orders found in public")
	}
	if err := schema.Drop(ctx, db, tables...); err != nil {
		t.Fatal(err)
	}
}
