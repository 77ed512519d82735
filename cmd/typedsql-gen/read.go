package main

import (
	"context"
	"fmt"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/schema"
)

// relName is one row of the listing queries.
type relName struct {
	Name string `db:"name"`
}

// The listing queries take the schema ("" for the connection's default one) and the kind of
// relation wanted: 't' for tables, 'v' for views. Their rows are ordered by name, so that the
// same database gives the same code.
const (
	pgRelations = `SELECT c.relname::text AS name FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND NOT c.relispartition
	AND c.relkind = ANY(CASE WHEN $2 = 't' THEN ARRAY['r', 'p']::"char"[] ELSE ARRAY['v', 'm']::"char"[] END)
	ORDER BY c.relname COLLATE "C"`
	myRelations = `SELECT TABLE_NAME AS name FROM information_schema.TABLES
	WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE())
	AND TABLE_TYPE IN (CASE WHEN ? = 't' THEN 'BASE TABLE' ELSE 'VIEW' END, CASE WHEN ? = 't' THEN 'SYSTEM VERSIONED' ELSE 'VIEW' END)
	ORDER BY CAST(TABLE_NAME AS BINARY)`
	sqliteRelations = `SELECT name FROM %s.sqlite_schema
	WHERE type = CASE WHEN ?1 = 't' THEN 'table' ELSE 'view' END AND name NOT LIKE 'sqlite\_%%' ESCAPE '\'
	ORDER BY name COLLATE BINARY`
	// pgViewColumns reads a view's columns, which schema.Inspect (tables only) does not.
	pgViewColumns = `SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type
	FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND c.relname = $2
	AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`
)

// listRelations lists the tables (kind 't') or views ('v') of one schema.
func listRelations(ctx context.Context, db *conn.DB, schemaName string, kind byte) ([]string, error) {
	var rows []relName
	var err error
	k := string(kind)
	switch db.Dialect().Caps().DDL.Catalog {
	case dialect.CatalogPostgres:
		rows, err = conn.All[relName](ctx, db, conn.SQL(pgRelations), schemaName, k)
	case dialect.CatalogInformationSchema:
		rows, err = conn.All[relName](ctx, db, conn.SQL(myRelations), schemaName, k, k)
	case dialect.CatalogPragma:
		s := schemaName
		if s == "" {
			s = "main"
		}
		q := fmt.Sprintf(sqliteRelations, db.Dialect().AppendIdent(nil, s))
		rows, err = conn.All[relName](ctx, db, conn.SQL(q), k)
	default:
		return nil, fmt.Errorf("%s: no catalog to list tables from", db.Dialect().Name())
	}
	if err != nil {
		return nil, fmt.Errorf("listing the %s of schema %q: %w", kindWord(kind), schemaOrDefault(schemaName), err)
	}
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Name
	}
	return names, nil
}

func kindWord(kind byte) string {
	if kind == 'v' {
		return "views"
	}
	return "tables"
}

func schemaOrDefault(s string) string {
	if s == "" {
		return "(default)"
	}
	return s
}

type viewColumn struct {
	Name string `db:"name"`
	Type string `db:"type"`
}

// inspectView reads a view's columns. Every view column is read as nullable: engines do not
// say reliably whether a view's expression can be NULL.
func inspectView(ctx context.Context, db *conn.DB, schemaName, name string) (schema.Table, error) {
	var t schema.Table
	if db.Dialect().Caps().DDL.Catalog == dialect.CatalogPostgres {
		cols, err := conn.All[viewColumn](ctx, db, conn.SQL(pgViewColumns), schemaName, name)
		if err != nil {
			return t, fmt.Errorf("reading view %q: %w", name, err)
		}
		t = schema.Table{Schema: schemaName, Name: name}
		for _, c := range cols {
			t.Columns = append(t.Columns, schema.Column{Name: c.Name, Type: c.Type})
		}
	} else {
		var err error
		if t, err = schema.Inspect(ctx, db, schemaName, name); err != nil {
			return t, err
		}
	}
	for i := range t.Columns {
		t.Columns[i].Nullable, t.Columns[i].Identity, t.Columns[i].Default = true, false, ""
	}
	t.PrimaryKey, t.Uniques, t.Indexes, t.ForeignKeys, t.Checks = nil, nil, nil, nil, nil
	return t, nil
}
