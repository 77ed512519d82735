package schema

import (
	"context"
	"database/sql"

	"github.com/typedsql/typedsql/conn"
)

// In every query the first argument is the schema, the second the table, repeated for every
// information_schema table the query reads: MariaDB fills an information_schema table from
// the data dictionary of every database unless that table's own WHERE names the schema and
// the table. (The segfaults in create_tmp_table_for_schema's cleanup once blamed on reading
// every database came from test servers sharing the machine server's tmpdir: a starting
// mariadbd deletes the others' temporary tables; see testcontainers/replicas_mariadb.go.)
const myColumns = `SELECT c.COLUMN_NAME AS name, c.COLUMN_TYPE AS type, c.IS_NULLABLE = 'YES' AS nullable,
	c.COLUMN_DEFAULT AS def, c.EXTRA LIKE '%auto_increment%' AS ident, c.COLUMN_COMMENT AS comment,
	t.TABLE_COMMENT AS table_comment
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?
WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?
ORDER BY c.ORDINAL_POSITION`

const myConstraints = `SELECT k.CONSTRAINT_NAME AS name,
	CASE tc.CONSTRAINT_TYPE WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u' ELSE 'f' END AS kind,
	k.COLUMN_NAME AS col, '' AS expr,
	CASE WHEN k.REFERENCED_TABLE_SCHEMA IS NULL OR k.REFERENCED_TABLE_SCHEMA = k.TABLE_SCHEMA THEN '' ELSE k.REFERENCED_TABLE_SCHEMA END AS ref_schema,
	COALESCE(k.REFERENCED_TABLE_NAME, '') AS ref_table, COALESCE(k.REFERENCED_COLUMN_NAME, '') AS ref_col,
	COALESCE(r.DELETE_RULE, '') AS on_delete, COALESCE(r.UPDATE_RULE, '') AS on_update, '' AS pred
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
	AND tc.TABLE_NAME = k.TABLE_NAME AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = ?
	AND r.TABLE_NAME = ? AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ?
	AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY k.CONSTRAINT_NAME, kind, k.ORDINAL_POSITION`

// myIndexes lists the indexes that back no constraint (MySQL names a constraint's index after
// it, and the primary key's PRIMARY).
const myIndexes = `SELECT s.INDEX_NAME AS name, CASE WHEN s.NON_UNIQUE = 0 THEN 'x' ELSE 'i' END AS kind,
	COALESCE(s.COLUMN_NAME, '') AS col, '' AS expr, '' AS ref_schema, '' AS ref_table, '' AS ref_col,
	'' AS on_delete, '' AS on_update, '' AS pred
FROM information_schema.STATISTICS s
WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ?
	AND NOT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS tc
		WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ?
		AND tc.CONSTRAINT_NAME = s.INDEX_NAME AND tc.CONSTRAINT_TYPE <> 'CHECK')
ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX`

const myChecks = `SELECT cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS expr
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ?
	AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE cc.CONSTRAINT_SCHEMA = ? -- MySQL 8's CHECK_CONSTRAINTS has no TABLE_NAME
ORDER BY cc.CONSTRAINT_NAME`

type myColumn struct {
	Name         string         `db:"name"`
	Type         string         `db:"type"`
	Nullable     bool           `db:"nullable"`
	Default      sql.NullString `db:"def"`
	Identity     bool           `db:"ident"`
	Comment      string         `db:"comment"`
	TableComment string         `db:"table_comment"`
}

func inspectMySQL(ctx context.Context, db *conn.DB, schema, name string) (Table, error) {
	if schema == "" {
		// The current database, named: a function in the WHERE would make MariaDB read
		// every database's dictionary (see above).
		cur, err := conn.Scalar[sql.NullString](ctx, db, conn.SQL("SELECT DATABASE()"))
		if err != nil {
			return Table{}, err
		}
		if !cur.Valid {
			return Table{}, noTable(schema, name)
		}
		schema = cur.String
	}
	cols, err := conn.All[myColumn](ctx, db, conn.SQL(myColumns), schema, name, schema, name)
	if err != nil {
		return Table{}, err
	}
	if len(cols) == 0 {
		return Table{}, noTable(schema, name)
	}
	t := Table{Name: name, Comment: cols[0].TableComment}
	for _, c := range cols {
		def := c.Default.String
		if def == "NULL" && c.Nullable { // MariaDB lists "no default" as the expression NULL
			def = ""
		}
		t.Columns = append(t.Columns, Column{Name: c.Name, Type: c.Type, Nullable: c.Nullable,
			Default: def, Identity: c.Identity, Comment: c.Comment, Length: typeLength(c.Type)})
	}
	keys, err := conn.All[keyPart](ctx, db, conn.SQL(myConstraints), schema, name, schema, name, schema, name)
	if err != nil {
		return Table{}, err
	}
	ixs, err := conn.All[keyPart](ctx, db, conn.SQL(myIndexes), schema, name, schema, name)
	if err != nil {
		return Table{}, err
	}
	addKeys(&t, append(keys, ixs...))
	for i := range t.ForeignKeys {
		// RESTRICT and NO ACTION are one action on MySQL/MariaDB, and a key declared with
		// neither reads back as either, depending on the server: keep one spelling.
		fk := &t.ForeignKeys[i]
		fk.OnDelete, fk.OnUpdate = noRestrict(fk.OnDelete), noRestrict(fk.OnUpdate)
	}
	if t.PrimaryKeyName == "PRIMARY" {
		t.PrimaryKeyName = "" // MySQL names every primary key PRIMARY
	}
	checks, err := conn.All[catalogCheck](ctx, db, conn.SQL(myChecks), schema, name, schema)
	if err != nil {
		return Table{}, err
	}
	for _, c := range checks {
		t.Checks = append(t.Checks, CheckConstraint{Name: c.Name, Expr: checkBody(c.Expr)})
	}
	sortByName(&t)
	return t, nil
}

func noRestrict(a Action) Action {
	if a == Restrict {
		return NoAction
	}
	return a
}
