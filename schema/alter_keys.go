package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/typedsql/typedsql/dialect"
)

// Keys lists columns as index keys, for AddIndexOp.
func Keys(columns ...string) []IndexKey {
	keys := make([]IndexKey, len(columns))
	for i, c := range columns {
		keys[i] = IndexKey{Column: c}
	}
	return keys
}

// AddIndexOp creates an index: over columns (Keys), or expressions where the engine has them,
// unique or not, partial (Where) where the engine has them.
//
//	schema.AddIndexOp(schema.Index{Name: "ix_orders_status", Keys: schema.Keys("status"), Where: "status <> 'done'"})
//	// CREATE INDEX "ix_orders_status" ON "orders" ("status") WHERE status <> 'done'
func AddIndexOp(ix Index) Op {
	return Op{what: "add index " + ix.Name, edit: func(_ dialect.Dialect, t *Table) error {
		switch {
		case ix.Name == "" || len(ix.Keys) == 0:
			return fmt.Errorf("an index needs a name and keys")
		case findIndex(t.Indexes, ix.Name) != nil:
			return fmt.Errorf("index %q exists already", ix.Name)
		}
		for _, k := range ix.Keys {
			if _, ok := t.Column(k.Column); k.Column != "" && !ok {
				return fmt.Errorf("no column %q", k.Column)
			}
		}
		t.Indexes = append(t.Indexes, ix)
		return nil
	}}
}

// DropIndexOp drops the index named name.
//
//	schema.DropIndexOp("ix_orders_status")
//	// PostgreSQL, SQLite: DROP INDEX "ix_orders_status"
//	// MySQL:              DROP INDEX `ix_orders_status` ON `orders`
func DropIndexOp(name string) Op {
	return Op{what: "drop index " + name, edit: func(_ dialect.Dialect, t *Table) error {
		if findIndex(t.Indexes, name) == nil {
			return fmt.Errorf("no index %q", name)
		}
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix Index) bool { return ix.Name == name })
		return nil
	}}
}

// AddUniqueOp adds a UNIQUE constraint named name over columns.
//
//	schema.AddUniqueOp("uq_users_email", "email")
//	// ALTER TABLE "users" ADD CONSTRAINT "uq_users_email" UNIQUE ("email")
func AddUniqueOp(name string, columns ...string) Op {
	return Op{what: "add unique " + name, edit: func(_ dialect.Dialect, t *Table) error {
		if err := hasColumns(t, columns); err != nil {
			return err
		}
		if slices.ContainsFunc(t.Uniques, func(u Unique) bool { return slices.Equal(u.Columns, columns) }) {
			return fmt.Errorf("a unique constraint on %v exists already", columns)
		}
		t.Uniques = append(t.Uniques, Unique{Name: name, Columns: slices.Clone(columns)})
		return nil
	}}
}

// DropUniqueOp drops the UNIQUE constraint over columns (SQLite keeps no constraint names, so
// they are found by their columns).
//
//	schema.DropUniqueOp("email")
//	// PostgreSQL: ALTER TABLE "users" DROP CONSTRAINT "uq_users_email"
//	// MySQL:      ALTER TABLE `users` DROP INDEX `uq_users_email`
func DropUniqueOp(columns ...string) Op {
	return Op{what: fmt.Sprintf("drop unique %v", columns), edit: func(_ dialect.Dialect, t *Table) error {
		n := len(t.Uniques)
		t.Uniques = slices.DeleteFunc(t.Uniques, func(u Unique) bool { return slices.Equal(u.Columns, columns) })
		if len(t.Uniques) == n {
			return fmt.Errorf("no unique constraint on %v", columns)
		}
		return nil
	}}
}

// AddForeignKeyOp adds a FOREIGN KEY constraint; a key without a name is named
// fk_<table>_<first column>, as a descriptor's would be.
//
//	schema.AddForeignKeyOp(schema.ForeignKey{Columns: []string{"user_id"}, RefTable: "users",
//		RefColumns: []string{"id"}, OnDelete: schema.Cascade})
//	// ALTER TABLE "orders" ADD CONSTRAINT "fk_orders_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
func AddForeignKeyOp(fk ForeignKey) Op {
	return Op{what: fmt.Sprintf("add foreign key %v", fk.Columns), edit: func(_ dialect.Dialect, t *Table) error {
		if err := hasColumns(t, fk.Columns); err != nil {
			return err
		}
		if fk.RefTable == "" || len(fk.RefColumns) != len(fk.Columns) {
			return fmt.Errorf("a foreign key needs the table it references and one referenced column per column")
		}
		if fk.Name == "" {
			fk.Name = "fk_" + t.Name + "_" + fk.Columns[0]
		}
		if fk.RefSchema == t.Schema {
			fk.RefSchema = ""
		}
		fk.Columns, fk.RefColumns = slices.Clone(fk.Columns), slices.Clone(fk.RefColumns)
		t.ForeignKeys = append(t.ForeignKeys, fk)
		return nil
	}}
}

// DropForeignKeyOp drops the foreign key over columns (found by its columns: SQLite keeps no
// names).
//
//	schema.DropForeignKeyOp("user_id")
//	// PostgreSQL: ALTER TABLE "orders" DROP CONSTRAINT "fk_orders_user_id"
//	// MySQL:      ALTER TABLE `orders` DROP FOREIGN KEY `fk_orders_user_id`
func DropForeignKeyOp(columns ...string) Op {
	return Op{what: fmt.Sprintf("drop foreign key %v", columns), edit: func(_ dialect.Dialect, t *Table) error {
		n := len(t.ForeignKeys)
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f ForeignKey) bool { return slices.Equal(f.Columns, columns) })
		if len(t.ForeignKeys) == n {
			return fmt.Errorf("no foreign key on %v", columns)
		}
		return nil
	}}
}

// AddCheckOp adds a CHECK constraint named name.
//
//	schema.AddCheckOp("ck_orders_total", "total >= 0")
//	// ALTER TABLE "orders" ADD CONSTRAINT "ck_orders_total" CHECK (total >= 0)
func AddCheckOp(name, sql string) Op {
	return Op{what: "add check " + name, edit: func(_ dialect.Dialect, t *Table) error {
		if name == "" || strings.TrimSpace(sql) == "" {
			return fmt.Errorf("a check needs a name and a condition")
		}
		if slices.ContainsFunc(t.Checks, func(c CheckConstraint) bool { return c.Name == name }) {
			return fmt.Errorf("check %q exists already", name)
		}
		t.Checks = append(t.Checks, CheckConstraint{Name: name, Expr: sql})
		return nil
	}}
}

// DropCheckOp drops the CHECK constraint named name (on SQLite, the one declared CONSTRAINT
// name CHECK (...)).
//
//	schema.DropCheckOp("ck_orders_total")
//	// ALTER TABLE "orders" DROP CONSTRAINT "ck_orders_total"
func DropCheckOp(name string) Op {
	return Op{what: "drop check " + name, edit: func(_ dialect.Dialect, t *Table) error {
		n := len(t.Checks)
		t.Checks = slices.DeleteFunc(t.Checks, func(c CheckConstraint) bool { return c.Name == name })
		if len(t.Checks) == n {
			return fmt.Errorf("no check %q", name)
		}
		return nil
	}}
}

// SetPrimaryKeyOp makes columns the primary key (none: the table has no primary key). The
// columns become NOT NULL.
//
//	schema.SetPrimaryKeyOp("order_id", "tag")
//	// PostgreSQL: ALTER TABLE "order_tags" DROP CONSTRAINT "order_tags_pkey"
//	//             ALTER TABLE "order_tags" ADD PRIMARY KEY ("order_id", "tag")
//	// MySQL:      ALTER TABLE `order_tags` DROP PRIMARY KEY, ADD PRIMARY KEY (`order_id`, `tag`)
func SetPrimaryKeyOp(columns ...string) Op {
	return Op{what: fmt.Sprintf("set primary key %v", columns), edit: func(_ dialect.Dialect, t *Table) error {
		if len(columns) > 0 {
			if err := hasColumns(t, columns); err != nil {
				return err
			}
		}
		for _, c := range t.Columns {
			if c.Identity && !slices.Equal(columns, []string{c.Name}) {
				return fmt.Errorf("identity column %q must stay the whole primary key", c.Name)
			}
		}
		t.PrimaryKey = slices.Clone(columns)
		for _, name := range columns {
			c, _ := t.Column(name)
			c.Nullable = false
		}
		return nil
	}}
}

func hasColumns(t *Table, columns []string) error {
	if len(columns) == 0 {
		return fmt.Errorf("no columns given")
	}
	for _, c := range columns {
		if _, ok := t.Column(c); !ok {
			return fmt.Errorf("no column %q", c)
		}
	}
	return nil
}
