package schema

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// ColumnKind is what AddColumnOp and AlterColumnOp take as their type parameter: expr.Column[T]
// (NOT NULL) or expr.Nullable[T], as in a descriptor. T gives the column's type, as
// Describe maps it (int64 is BIGINT, BIGINT, INTEGER; see the package documentation).
type ColumnKind interface {
	GoType() reflect.Type
	IsNullable() bool
}

// Op is one change to a live table, for Alter and AlterPlan. The functions below make them:
// AddColumnOp, DropColumnOp, AlterColumnOp, SetNullableOp, SetDefaultOp, AddIndexOp, DropIndexOp,
// AddUniqueOp, DropUniqueOp, AddForeignKeyOp, DropForeignKeyOp, AddCheckOp, DropCheckOp, SetPrimaryKeyOp.
type Op struct {
	what string
	edit func(d dialect.Dialect, t *Table) error
}

// String names the operation, as errors do.
func (o Op) String() string { return o.what }

// Alter changes the live table schema.table by ops, the operations a Go migration calls
// (what goose and atlas users write by hand), with the statements Diff and Apply use: it
// reads the table (Inspect), applies the ops to that model, plans the difference (AlterPlan)
// and runs it (Apply). Each op is checked against the table before anything runs: dropping a
// column that is not there is an error naming the op and the table. Destructive ops run:
// the caller asked for them.
//
//	err := schema.Alter(ctx, db, "", "users",
//		schema.AddColumnOp[expr.Nullable[string]]("nickname", "size=40"),
//		schema.SetDefaultOp("visits", "0"),
//		schema.AddIndexOp(schema.Index{Name: "ix_users_nickname", Keys: schema.Keys("nickname")}),
//	)
//	// PostgreSQL: ALTER TABLE "users" ADD COLUMN "nickname" VARCHAR(40)
//	//             ALTER TABLE "users" ALTER COLUMN "visits" SET DEFAULT 0
//	//             CREATE INDEX "ix_users_nickname" ON "users" ("nickname")
//	// MySQL:      ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(40)
//	//             ALTER TABLE `users` MODIFY COLUMN `visits` INT NOT NULL DEFAULT 0
//	//             CREATE INDEX `ix_users_nickname` ON `users` (`nickname`)
//
// On SQLite, changes its ALTER TABLE has (ADD COLUMN, DROP COLUMN from 3.35, CREATE and DROP
// INDEX) run as they are; any other (a column's type, nullability or default, a key or a
// constraint) makes the whole alteration one rebuild of the table, SQLite's documented twelve
// steps (see RebuildTable): rows, indexes, triggers, views and the foreign keys pointing in
// are kept. A rebuild recreates the table from what Inspect reads of it (columns, keys,
// constraints, indexes): a table declared with what that model does not hold (AUTOINCREMENT,
// COLLATE, generated columns, WITHOUT ROWID, STRICT) is not rebuilt but refused with an
// error matching ErrUnsupportedChange, as Diff's rebuilds are. A rebuild turns foreign keys
// off, which SQLite cannot do inside a transaction: there (in a Go migration's transaction,
// an Atomic block) it is refused, since DROP TABLE would run the ON DELETE actions of the keys
// pointing at the table; give such a migration NoTransaction.
//
// Renames are RenameTable and RenameColumn; Create, Drop and DropTable make and remove tables.
func Alter(ctx context.Context, db *conn.DB, schema, table string, ops ...Op) error {
	plan, err := AlterPlan(ctx, db, schema, table, ops...)
	if err != nil {
		return err
	}
	return Apply(ctx, db, plan, AllowDestructive())
}

// AlterPlan is the plan Alter runs, without running it: for a dry run, or to print the SQL.
func AlterPlan(ctx context.Context, db *conn.DB, schema, table string, ops ...Op) (Plan, error) {
	d := db.Dialect()
	live, err := Inspect(ctx, db, schema, table)
	if err != nil {
		return Plan{}, err
	}
	want := cloneTable(&live)
	for _, op := range ops {
		if err := op.edit(d, &want); err != nil {
			return Plan{}, fmt.Errorf("schema: %s on table %q: %w", op.what, live.QualifiedName(), err)
		}
	}
	p, err := newPlanner(ctx, db)
	if err != nil {
		return Plan{}, err
	}
	p.exactDefaults = true
	chs := p.diffTable(&want, &live)
	if rebuilds(d) && slices.ContainsFunc(chs, func(c Change) bool { return c.Unsupported != "" }) {
		rb, err := rebuild(ctx, db, &want, &live, chs)
		if err != nil {
			return Plan{}, err
		}
		chs = []Change{rb}
	}
	return Plan{Changes: chs}, nil
}

// DropTable drops the table schema.table, by name: a migration need not keep the descriptor
// of a table it removes.
//
//	err := schema.DropTable(ctx, db, "", "legacy_orders")
//	// DROP TABLE "legacy_orders"
func DropTable(ctx context.Context, db *conn.DB, schema, table string) error {
	return run(ctx, db, []string{string(appendTableName([]byte("DROP TABLE "), db.Dialect(), schema, table))})
}

func cloneTable(t *Table) Table {
	c := *t
	c.Columns = slices.Clone(t.Columns)
	c.PrimaryKey = slices.Clone(t.PrimaryKey)
	c.Uniques = slices.Clone(t.Uniques)
	c.Indexes = slices.Clone(t.Indexes)
	c.ForeignKeys = slices.Clone(t.ForeignKeys)
	c.Checks = slices.Clone(t.Checks)
	return c
}

// columnFrom is the column a descriptor field of kind C with the schema tag tag declares.
// Only items about the column itself are allowed (type, size, json, default, comment,
// identity); keys and constraints are ops of their own.
func columnFrom[C ColumnKind](d dialect.Dialect, name, tag string) (Column, error) {
	var zero C
	ct, err := parseColTag(tag)
	if err != nil {
		return Column{}, err
	}
	if ct.pk || ct.ref != nil || len(ct.unique) > 0 || len(ct.index) > 0 || len(ct.checks) > 0 {
		return Column{}, fmt.Errorf("tag %q: pk, unique, index, references and check are ops of their own (SetPrimaryKeyOp, AddUniqueOp, AddIndexOp, AddForeignKeyOp, AddCheckOp)", tag)
	}
	gt := zero.GoType()
	typ, ok := columnType(d, gt, ct, false)
	if !ok {
		return Column{}, fmt.Errorf("Go type %s has no %s column type: give one with type=...", gt, d.Name())
	}
	col := Column{Name: name, Type: typ, Length: ct.size, Nullable: zero.IsNullable(), Default: ct.def,
		Comment: ct.comment, GoType: gt, Identity: ct.identity}
	if ct.typ != "" {
		col.Length = typeLength(ct.typ)
	}
	if ct.identity {
		if !isIntKind(gt.Kind()) || col.Nullable {
			return Column{}, fmt.Errorf("identity needs a NOT NULL integer column (expr.Column[int64]), not %T", zero)
		}
		col.Type = d.Caps().DDL.Int
	}
	return col, nil
}

// AddColumnOp adds a column of kind C (expr.Column[T] or expr.Nullable[T]) declared by a
// schema tag's column items: type=, size=, json, default=, comment=, and identity (an
// auto-numbered column that becomes the primary key; the old key is dropped, and the rows
// there are numbered). A NOT NULL column without a default cannot be added to a table that
// has rows: every engine refuses.
//
//	schema.AddColumnOp[expr.Column[int32]]("visits", "default=0")
//	// ALTER TABLE "users" ADD COLUMN "visits" INTEGER NOT NULL DEFAULT 0
func AddColumnOp[C ColumnKind](name, tag string) Op {
	return Op{what: "add column " + name, edit: func(d dialect.Dialect, t *Table) error {
		if _, ok := t.Column(name); ok {
			return fmt.Errorf("column %q exists already", name)
		}
		col, err := columnFrom[C](d, name, tag)
		if err != nil {
			return err
		}
		t.Columns = append(t.Columns, col)
		if col.Identity {
			t.PrimaryKey, t.PrimaryKeyName = []string{name}, ""
		}
		return nil
	}}
}

// DropColumnOp drops a column, with the indexes, unique constraints, foreign keys and checks
// that cover it.
//
//	schema.DropColumnOp("legacy")
//	// ALTER TABLE "users" DROP COLUMN "legacy"
func DropColumnOp(name string) Op {
	return Op{what: "drop column " + name, edit: func(_ dialect.Dialect, t *Table) error {
		if _, ok := t.Column(name); !ok {
			return fmt.Errorf("no column %q", name)
		}
		if slices.Contains(t.PrimaryKey, name) {
			return fmt.Errorf("column %q is in the primary key %v: SetPrimaryKeyOp first", name, t.PrimaryKey)
		}
		t.Columns = slices.DeleteFunc(t.Columns, func(c Column) bool { return c.Name == name })
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix Index) bool {
			return slices.ContainsFunc(ix.Keys, func(k IndexKey) bool { return k.Column == name || mentions(k.Expr, name) }) ||
				mentions(ix.Where, name)
		})
		t.Uniques = slices.DeleteFunc(t.Uniques, func(u Unique) bool { return slices.Contains(u.Columns, name) })
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f ForeignKey) bool { return slices.Contains(f.Columns, name) })
		t.Checks = slices.DeleteFunc(t.Checks, func(c CheckConstraint) bool { return mentions(c.Expr, name) })
		return nil
	}}
}

// AlterColumnOp redefines a column as a descriptor field of kind C with the tag's column items
// would declare it: its type, nullability and default (no default= means none) change
// together; its comment stays unless the tag gives one.
//
//	schema.AlterColumnOp[expr.Nullable[string]]("title", "size=200")
//	// PostgreSQL: ALTER TABLE "notes" ALTER COLUMN "title" TYPE VARCHAR(200), ALTER COLUMN "title" DROP NOT NULL
//	// MySQL:      ALTER TABLE `notes` MODIFY COLUMN `title` VARCHAR(200)
func AlterColumnOp[C ColumnKind](name, tag string) Op {
	return Op{what: "alter column " + name, edit: func(d dialect.Dialect, t *Table) error {
		old, ok := t.Column(name)
		if !ok {
			return fmt.Errorf("no column %q", name)
		}
		col, err := columnFrom[C](d, name, tag)
		if err != nil {
			return err
		}
		if col.Identity != old.Identity {
			return fmt.Errorf("column %q: making a column an identity column, or one no longer, is not an alteration; add a new column", name)
		}
		if col.Comment == "" {
			col.Comment = old.Comment
		}
		if sameType(d.Caps().DDL, col.Type, old.Type) {
			col.Type = old.Type // the same type: keep the catalog's spelling
		}
		*old = col
		return nil
	}}
}

// SetNullableOp lets a column hold NULL (true) or not (false), keeping its type and default.
//
//	schema.SetNullableOp("email", false)
//	// PostgreSQL: ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL
//	// MySQL:      ALTER TABLE `users` MODIFY COLUMN `email` VARCHAR(200) NOT NULL
func SetNullableOp(name string, nullable bool) Op {
	return Op{what: fmt.Sprintf("set nullable %s %v", name, nullable), edit: func(_ dialect.Dialect, t *Table) error {
		c, ok := t.Column(name)
		if !ok {
			return fmt.Errorf("no column %q", name)
		}
		c.Nullable = nullable
		return nil
	}}
}

// SetDefaultOp gives a column the default SQL, written as given ("0", "'new'",
// "CURRENT_TIMESTAMP"); "" removes its default.
//
//	schema.SetDefaultOp("status", "'new'")
//	// PostgreSQL: ALTER TABLE "orders" ALTER COLUMN "status" SET DEFAULT 'new'
//	schema.SetDefaultOp("status", "")
//	// PostgreSQL: ALTER TABLE "orders" ALTER COLUMN "status" DROP DEFAULT
func SetDefaultOp(name, sql string) Op {
	return Op{what: "set default " + name, edit: func(_ dialect.Dialect, t *Table) error {
		c, ok := t.Column(name)
		if !ok {
			return fmt.Errorf("no column %q", name)
		}
		if c.Identity {
			return fmt.Errorf("column %q is an identity column: it takes no default", name)
		}
		c.Default = sql
		return nil
	}}
}

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
