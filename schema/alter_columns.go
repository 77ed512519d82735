package schema

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/typedsql/typedsql/dialect"
)

// ColumnKind is what AddColumnOp and AlterColumnOp take as their type parameter: expr.Column[T]
// (NOT NULL) or expr.Nullable[T], as in a descriptor. T gives the column's type, as
// Describe maps it (int64 is BIGINT, BIGINT, INTEGER; see the package documentation).
type ColumnKind interface {
	GoType() reflect.Type
	IsNullable() bool
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
