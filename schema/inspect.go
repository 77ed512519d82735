package schema

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// ErrNoTable is matched by Inspect's error when the table does not exist.
var ErrNoTable = errors.New("schema: no such table")

// Inspect reads the table schema.name from the live database into the model: its columns
// (types as the catalog spells them), primary key, unique constraints, indexes, foreign keys,
// checks and comments. An empty schema is the connection's default one (PostgreSQL's
// current_schema(), MySQL's current database, SQLite's main). It reads the catalogs:
// pg_catalog on PostgreSQL, information_schema on MySQL/MariaDB, PRAGMA table_xinfo,
// index_list, index_xinfo, foreign_key_list and sqlite_schema on SQLite.
//
//	t, err := schema.Inspect(ctx, db, "", "users")
//	// t.Columns[0] = Column{Name: "id", Type: "bigint", Identity: true}
//
// A table that is not there is an error matching ErrNoTable.
func Inspect(ctx context.Context, db *conn.DB, schema, name string) (Table, error) {
	var t Table
	var err error
	switch db.Dialect().Caps().DDL.Catalog {
	case dialect.CatalogPostgres:
		t, err = inspectPostgres(ctx, db, schema, name)
	case dialect.CatalogInformationSchema:
		t, err = inspectMySQL(ctx, db, schema, name)
	case dialect.CatalogPragma:
		t, err = inspectSQLite(ctx, db, schema, name)
	default:
		return Table{}, fmt.Errorf("schema: %s: the dialect names no catalog to read tables from", db.Dialect().Name())
	}
	if err != nil {
		if errors.Is(err, ErrNoTable) {
			return Table{}, err
		}
		return Table{}, fmt.Errorf("schema: reading table %q: %w", qualified(schema, name), err)
	}
	t.Schema = schema
	return t, nil
}

func qualified(schema, name string) string {
	if schema == "" {
		return name
	}
	return schema + "." + name
}

func noTable(schema, name string) error {
	return fmt.Errorf("%w: %q", ErrNoTable, qualified(schema, name))
}

// keyPart is one row of a catalog query listing the columns of constraints or indexes, in
// key order; group folds them into one entry per name.
type keyPart struct {
	Name      string `db:"name"`
	Kind      string `db:"kind"` // p, u, f, i (index), x (unique index)
	Column    string `db:"col"`
	Expr      string `db:"expr"`
	RefSchema string `db:"ref_schema"`
	RefTable  string `db:"ref_table"`
	RefColumn string `db:"ref_col"`
	OnDelete  string `db:"on_delete"`
	OnUpdate  string `db:"on_update"`
	Where     string `db:"pred"`
}

// addKeys files catalog rows (ordered by name, then key position) into t.
func addKeys(t *Table, parts []keyPart) {
	for i := 0; i < len(parts); {
		j := i
		for j < len(parts) && parts[j].Name == parts[i].Name && parts[j].Kind == parts[i].Kind {
			j++
		}
		group, p := parts[i:j], parts[i]
		cols := make([]string, len(group))
		for k, g := range group {
			cols[k] = g.Column
		}
		switch p.Kind {
		case "p":
			t.PrimaryKey, t.PrimaryKeyName = cols, p.Name
		case "u":
			t.Uniques = append(t.Uniques, Unique{Name: p.Name, Columns: cols})
		case "f":
			refs := make([]string, len(group))
			for k, g := range group {
				refs[k] = g.RefColumn
			}
			t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Name: p.Name, Columns: cols,
				RefSchema: p.RefSchema, RefTable: p.RefTable, RefColumns: refs,
				OnDelete: actionOf(p.OnDelete), OnUpdate: actionOf(p.OnUpdate)})
		case "i", "x":
			ix := Index{Name: p.Name, Unique: p.Kind == "x", Where: p.Where}
			for _, g := range group {
				if g.Column != "" {
					ix.Keys = append(ix.Keys, IndexKey{Column: g.Column})
				} else {
					ix.Keys = append(ix.Keys, IndexKey{Expr: g.Expr})
				}
			}
			t.Indexes = append(t.Indexes, ix)
		}
		i = j
	}
}

// actionOf reads a referential action as the catalogs spell it.
func actionOf(s string) Action {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "CASCADE", "C":
		return Cascade
	case "RESTRICT", "R":
		return Restrict
	case "SET NULL", "N":
		return SetNull
	case "SET DEFAULT", "D":
		return SetDefault
	}
	return NoAction
}

// sortByName orders what the catalogs list in no fixed order.
func sortByName(t *Table) {
	slices.SortStableFunc(t.Uniques, func(a, b Unique) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(t.Indexes, func(a, b Index) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(t.ForeignKeys, func(a, b ForeignKey) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(t.Checks, func(a, b CheckConstraint) int { return strings.Compare(a.Name, b.Name) })
}
