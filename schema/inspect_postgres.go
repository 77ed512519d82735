package schema

import (
	"context"
	"strings"

	"github.com/typedsql/typedsql/conn"
)

// pgTable finds the table's oid: $1 is the schema (” for current_schema()), $2 the name.
const pgTable = `(SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND c.relname = $2 AND c.relkind IN ('r', 'p'))`

const pgColumns = `SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
	NOT a.attnotnull AS nullable, COALESCE(pg_get_expr(d.adbin, d.adrelid), '') AS def,
	a.attidentity <> '' AS ident, COALESCE(col_description(a.attrelid, a.attnum), '') AS comment,
	COALESCE(obj_description(a.attrelid, 'pg_class'), '') AS table_comment
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ` + pgTable + ` AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

const pgConstraints = `SELECT con.conname::text AS name, con.contype::text AS kind, a.attname::text AS col, '' AS expr,
	COALESCE(CASE WHEN fc.relnamespace = tc.relnamespace THEN '' ELSE fn.nspname::text END, '') AS ref_schema, COALESCE(fc.relname::text, '') AS ref_table,
	COALESCE(fa.attname::text, '') AS ref_col, con.confdeltype::text AS on_delete,
	con.confupdtype::text AS on_update, '' AS pred
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class tc ON tc.oid = con.conrelid
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord]
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.conrelid = ` + pgTable + ` AND con.contype IN ('p', 'u', 'f')
ORDER BY con.conname, con.contype, k.ord`

const pgIndexes = `SELECT i.relname::text AS name, CASE WHEN ix.indisunique THEN 'x' ELSE 'i' END AS kind,
	COALESCE(a.attname::text, '') AS col, pg_get_indexdef(ix.indexrelid, k.ord::int, true) AS expr,
	'' AS ref_schema, '' AS ref_table, '' AS ref_col, '' AS on_delete, '' AS on_update,
	COALESCE(pg_get_expr(ix.indpred, ix.indrelid, true), '') AS pred
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum > 0
WHERE ix.indrelid = ` + pgTable + ` AND k.ord <= ix.indnkeyatts
	AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid
		AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.relname, k.ord`

const pgChecks = `SELECT con.conname::text AS name, pg_get_constraintdef(con.oid, true) AS expr
FROM pg_catalog.pg_constraint con WHERE con.conrelid = ` + pgTable + ` AND con.contype = 'c'
ORDER BY con.conname`

type catalogColumn struct {
	Name         string `db:"name"`
	Type         string `db:"type"`
	Nullable     bool   `db:"nullable"`
	Default      string `db:"def"`
	Identity     bool   `db:"ident"`
	Comment      string `db:"comment"`
	TableComment string `db:"table_comment"`
}

type catalogCheck struct {
	Name string `db:"name"`
	Expr string `db:"expr"`
}

func inspectPostgres(ctx context.Context, db *conn.DB, schema, name string) (Table, error) {
	cols, err := conn.All[catalogColumn](ctx, db, conn.SQL(pgColumns), schema, name)
	if err != nil {
		return Table{}, err
	}
	if len(cols) == 0 {
		return Table{}, noTable(schema, name)
	}
	t := Table{Name: name, Comment: cols[0].TableComment}
	for _, c := range cols {
		col := Column{Name: c.Name, Type: c.Type, Nullable: c.Nullable, Default: c.Default,
			Identity: c.Identity, Comment: c.Comment, Length: typeLength(c.Type)}
		if strings.HasPrefix(c.Default, "nextval(") { // serial
			col.Identity, col.Default = true, ""
		}
		t.Columns = append(t.Columns, col)
	}
	keys, err := conn.All[keyPart](ctx, db, conn.SQL(pgConstraints), schema, name)
	if err != nil {
		return Table{}, err
	}
	ixs, err := conn.All[keyPart](ctx, db, conn.SQL(pgIndexes), schema, name)
	if err != nil {
		return Table{}, err
	}
	addKeys(&t, append(keys, ixs...))
	checks, err := conn.All[catalogCheck](ctx, db, conn.SQL(pgChecks), schema, name)
	if err != nil {
		return Table{}, err
	}
	for _, c := range checks {
		t.Checks = append(t.Checks, CheckConstraint{Name: c.Name, Expr: checkBody(c.Expr)})
	}
	sortByName(&t)
	return t, nil
}

// checkBody turns "CHECK ((a > 0))" into "a > 0".
func checkBody(def string) string {
	s := strings.TrimSpace(def)
	if len(s) >= 5 && strings.EqualFold(s[:5], "CHECK") {
		s = strings.TrimSpace(s[5:])
	}
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && balanced(s[1:len(s)-1]) {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// balanced reports whether s's parentheses pair up (outside quotes), so that (s) may lose its
// outer pair.
func balanced(s string) bool {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
