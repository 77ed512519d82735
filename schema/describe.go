package schema

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// ErrDescriptor is matched (errors.Is) by every error about a descriptor itself: a tag that
// does not parse, a Go type with no column type, an unbound table.
var ErrDescriptor = errors.New("schema: invalid descriptor")

// descriptor is what a table struct made by expr.NewTable offers through its embedded
// expr.Table.
type descriptor interface {
	TableName() string
	TableSchema() string
	TableErr() error
	ColumnNames() []string
}

// columnDesc is implemented by expr.Column[T] and expr.Nullable[T].
type columnDesc interface {
	ColumnName() string
	GoType() reflect.Type
	IsNullable() bool
}

var (
	columnDescType = reflect.TypeFor[columnDesc]()
	exprTableType  = reflect.TypeFor[expr.Table]()
)

// Describe turns table descriptors (the pointers expr.NewTable returns) into the schema model,
// with the column types of dialect d. Constraints come from each column's `schema` tag and
// table-wide ones from the tag on the embedded expr.Table (see the package documentation):
//
//	type OrdersTable struct {
//		expr.Table `schema:"check=total >= 0"`
//		ID     expr.Column[int64]   `db:"id" schema:"identity"`
//		UserID expr.Column[int64]   `db:"user_id" schema:"references=users(id);ondelete=cascade;index"`
//		Total  expr.Column[float64] `db:"total" schema:"default=0"`
//	}
//
// Any error matches ErrDescriptor and names the table, the field and what is wrong.
func Describe(d dialect.Dialect, descriptors ...any) ([]Table, error) {
	out := make([]Table, 0, len(descriptors))
	var errs []error
	for _, desc := range descriptors {
		t, err := describe(d, desc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, t)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func describe(d dialect.Dialect, desc any) (Table, error) {
	ds, ok := desc.(descriptor)
	v := reflect.ValueOf(desc)
	if !ok || v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return Table{}, fmt.Errorf("%w: %T is not a table descriptor (the pointer expr.NewTable returns)", ErrDescriptor, desc)
	}
	if err := ds.TableErr(); err != nil {
		return Table{}, fmt.Errorf("%w: %w", ErrDescriptor, err)
	}
	t := Table{Schema: ds.TableSchema(), Name: ds.TableName()}
	if t.Schema != "" {
		t.Name = t.Name[len(t.Schema)+1:]
	}
	where := func(field string) string {
		return "table " + strconv.Quote(t.QualifiedName()) + ": field " + field
	}
	fail := func(field string, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrDescriptor, where(field), fmt.Sprintf(format, args...))
	}
	v = v.Elem()
	typ := v.Type()
	var (
		errs     []error
		uniques  = map[string]int{} // constraint name -> index in t.Uniques
		indexes  = map[string]int{}
		identity string
	)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if f.Anonymous && f.Type == exprTableType {
			tt, err := parseTableTag(f.Tag.Get("schema"))
			if err != nil {
				errs = append(errs, fail(f.Name, "schema tag: %v", err))
				continue
			}
			t.Comment = tt.comment
			for n, c := range tt.checks {
				t.Checks = append(t.Checks, CheckConstraint{Name: "ck_" + t.Name + "_" + strconv.Itoa(n+1), Expr: c})
			}
			continue
		}
		if !f.IsExported() || !f.Type.Implements(columnDescType) {
			continue
		}
		cd := v.Field(i).Interface().(columnDesc)
		name := cd.ColumnName()
		if name == "" {
			continue // db:"-"
		}
		tag, err := parseColTag(f.Tag.Get("schema"))
		if err != nil {
			errs = append(errs, fail(f.Name, "schema tag: %v", err))
			continue
		}
		gt := cd.GoType()
		key := tag.pk || tag.ref != nil || len(tag.unique) > 0 || len(tag.index) > 0
		ct, ok := columnType(d, gt, tag, key)
		if !ok {
			errs = append(errs, fail(f.Name, "Go type %s has no %s column type: declare one with schema:\"type=...\" (or schema:\"json\")", gt, d.Name()))
			continue
		}
		col := Column{Name: name, Type: ct, Length: tag.size, Nullable: cd.IsNullable(),
			Default: tag.def, Comment: tag.comment, GoType: gt, Identity: tag.identity}
		if tag.typ != "" {
			col.Length = typeLength(tag.typ)
		}
		if tag.identity {
			switch {
			case !isIntKind(gt.Kind()):
				errs = append(errs, fail(f.Name, "identity needs an integer column, not %s", gt))
				continue
			case identity != "":
				errs = append(errs, fail(f.Name, "a second identity column (the first is %q)", identity))
				continue
			case col.Nullable:
				errs = append(errs, fail(f.Name, "an identity column is a primary key: declare it expr.Column, not expr.Nullable"))
				continue
			}
			identity = name
			col.Type = d.Caps().DDL.Int
		}
		if tag.pk || tag.identity {
			t.PrimaryKey = append(t.PrimaryKey, name)
		}
		for _, u := range tag.unique {
			n := u
			if n == "" {
				n = "uq_" + t.Name + "_" + name
			}
			if j, ok := uniques[n]; ok {
				t.Uniques[j].Columns = append(t.Uniques[j].Columns, name)
				continue
			}
			uniques[n] = len(t.Uniques)
			t.Uniques = append(t.Uniques, Unique{Name: n, Columns: []string{name}})
		}
		for _, ix := range tag.index {
			n := ix
			if n == "" {
				n = "ix_" + t.Name + "_" + name
			}
			if j, ok := indexes[n]; ok {
				t.Indexes[j].Keys = append(t.Indexes[j].Keys, IndexKey{Column: name})
				continue
			}
			indexes[n] = len(t.Indexes)
			t.Indexes = append(t.Indexes, Index{Name: n, Keys: []IndexKey{{Column: name}}})
		}
		if tag.ref != nil {
			if !col.Nullable && (tag.onDelete == SetNull || tag.onUpdate == SetNull) {
				errs = append(errs, fail(f.Name, "set null on a column that cannot be NULL: declare it expr.Nullable"))
				continue
			}
			refSchema := tag.ref.schema
			if refSchema == t.Schema { // the table's own schema is written as none, as Inspect reads it
				refSchema = ""
			}
			t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Name: "fk_" + t.Name + "_" + name,
				Columns: []string{name}, RefSchema: refSchema, RefTable: tag.ref.table,
				RefColumns: []string{tag.ref.column}, OnDelete: tag.onDelete, OnUpdate: tag.onUpdate})
		}
		for n, c := range tag.checks {
			cn := "ck_" + t.Name + "_" + name
			if n > 0 {
				cn += "_" + strconv.Itoa(n+1)
			}
			t.Checks = append(t.Checks, CheckConstraint{Name: cn, Expr: c})
		}
		t.Columns = append(t.Columns, col)
	}
	if identity != "" && len(t.PrimaryKey) > 1 {
		errs = append(errs, fmt.Errorf("%w: table %q: identity column %q cannot share the primary key with %v",
			ErrDescriptor, t.QualifiedName(), identity, t.PrimaryKey))
	}
	if len(t.Columns) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%w: table %q has no columns", ErrDescriptor, t.QualifiedName()))
	}
	return t, errors.Join(errs...)
}

// typeLength is the n of a type written NAME(n) for a text or byte type, else 0.
func typeLength(typ string) int {
	if f := typeFamily(typ); f != famText && f != famBytes {
		return 0
	}
	_, n := baseType(typ)
	return n
}
