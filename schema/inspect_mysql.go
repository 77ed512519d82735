package schema

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/typedsql/typedsql/conn"
)

// Every query reads one information_schema table and names the schema and the table in its
// own WHERE; the rows are joined here. MariaDB 10.11 fills an information_schema table from
// the data dictionary of every database unless its WHERE names them, and a query joining
// several of them (KEY_COLUMN_USAGE with TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS) has
// crashed the server while another session ran DDL in the same database: a segfault in
// create_tmp_table_for_schema's cleanup, four times in one day of parallel test runs, even
// with every table's WHERE naming schema and table. A lone table's fill does not take that path.
const myColumns = `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE = 'YES' AS nullable,
	COLUMN_DEFAULT AS def, EXTRA LIKE '%auto_increment%' AS ident, COLUMN_COMMENT AS comment
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
ORDER BY ORDINAL_POSITION`

const myTableComment = `SELECT TABLE_COMMENT FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`

// myConstraintTypes is every constraint of the table by name: PRIMARY KEY, UNIQUE, FOREIGN
// KEY, CHECK.
const myConstraintTypes = `SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type
FROM information_schema.TABLE_CONSTRAINTS
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`

// myKeyColumns is the columns of the keys, in key order; a foreign key's row names the
// column it references.
const myKeyColumns = `SELECT CONSTRAINT_NAME AS name, COLUMN_NAME AS col,
	CASE WHEN REFERENCED_TABLE_SCHEMA IS NULL OR REFERENCED_TABLE_SCHEMA = TABLE_SCHEMA THEN '' ELSE REFERENCED_TABLE_SCHEMA END AS ref_schema,
	COALESCE(REFERENCED_TABLE_NAME, '') AS ref_table, COALESCE(REFERENCED_COLUMN_NAME, '') AS ref_col
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`

const myReferentialActions = `SELECT CONSTRAINT_NAME AS name, DELETE_RULE AS on_delete, UPDATE_RULE AS on_update
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`

// myIndexes lists the table's indexes; those backing a constraint (MySQL names a
// constraint's index after it, and the primary key's PRIMARY) are dropped here.
const myIndexes = `SELECT INDEX_NAME AS name, CASE WHEN NON_UNIQUE = 0 THEN 'x' ELSE 'i' END AS kind,
	COALESCE(COLUMN_NAME, '') AS col
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
ORDER BY INDEX_NAME, SEQ_IN_INDEX`

// myChecks is every CHECK of the schema: MySQL 8's CHECK_CONSTRAINTS has no TABLE_NAME, so
// the table's own are picked by the names TABLE_CONSTRAINTS gives.
const myChecks = `SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS expr
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ?
ORDER BY CONSTRAINT_NAME`

type myColumn struct {
	Name     string         `db:"name"`
	Type     string         `db:"type"`
	Nullable bool           `db:"nullable"`
	Default  sql.NullString `db:"def"`
	Identity bool           `db:"ident"`
	Comment  string         `db:"comment"`
}

type myConstraint struct {
	Name string `db:"name"`
	Type string `db:"type"`
}

type myAction struct {
	Name     string `db:"name"`
	OnDelete string `db:"on_delete"`
	OnUpdate string `db:"on_update"`
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
	cols, err := conn.All[myColumn](ctx, db, conn.SQL(myColumns), schema, name)
	if err != nil {
		return Table{}, err
	}
	if len(cols) == 0 {
		return Table{}, noTable(schema, name)
	}
	comment, err := conn.Scalar[string](ctx, db, conn.SQL(myTableComment), schema, name)
	if err != nil && !errors.Is(err, conn.ErrNoRows) {
		return Table{}, err
	}
	t := Table{Name: name, Comment: comment}
	for _, c := range cols {
		def := c.Default.String
		if def == "NULL" && c.Nullable { // MariaDB lists "no default" as the expression NULL
			def = ""
		}
		t.Columns = append(t.Columns, Column{Name: c.Name, Type: c.Type, Nullable: c.Nullable,
			Default: def, Identity: c.Identity, Comment: c.Comment, Length: typeLength(c.Type)})
	}
	parts, checkNames, err := myKeyParts(ctx, db, schema, name)
	if err != nil {
		return Table{}, err
	}
	addKeys(&t, parts)
	for i := range t.ForeignKeys {
		// RESTRICT and NO ACTION are one action on MySQL/MariaDB, and a key declared with
		// neither reads back as either, depending on the server: keep one spelling.
		fk := &t.ForeignKeys[i]
		fk.OnDelete, fk.OnUpdate = noRestrict(fk.OnDelete), noRestrict(fk.OnUpdate)
	}
	if t.PrimaryKeyName == "PRIMARY" {
		t.PrimaryKeyName = "" // MySQL names every primary key PRIMARY
	}
	if len(checkNames) > 0 {
		checks, err := conn.All[catalogCheck](ctx, db, conn.SQL(myChecks), schema)
		if err != nil {
			return Table{}, err
		}
		for _, c := range checks {
			if checkNames[c.Name] {
				t.Checks = append(t.Checks, CheckConstraint{Name: c.Name, Expr: checkBody(c.Expr)})
			}
		}
	}
	sortByName(&t)
	return t, nil
}

// myKeyParts reads the table's keys and indexes as addKeys takes them (ordered by name, kind
// and position), and the names of its CHECK constraints.
func myKeyParts(ctx context.Context, db *conn.DB, schema, name string) ([]keyPart, map[string]bool, error) {
	constraints, err := conn.All[myConstraint](ctx, db, conn.SQL(myConstraintTypes), schema, name)
	if err != nil {
		return nil, nil, err
	}
	types := map[string]map[string]bool{} // constraint name -> its types
	checks := map[string]bool{}
	for _, c := range constraints {
		if c.Type == "CHECK" {
			checks[c.Name] = true
			continue
		}
		if types[c.Name] == nil {
			types[c.Name] = map[string]bool{}
		}
		types[c.Name][c.Type] = true
	}
	keyCols, err := conn.All[keyPart](ctx, db, conn.SQL(myKeyColumns), schema, name)
	if err != nil {
		return nil, nil, err
	}
	actions, err := conn.All[myAction](ctx, db, conn.SQL(myReferentialActions), schema, name)
	if err != nil {
		return nil, nil, err
	}
	actionOfKey := make(map[string]myAction, len(actions))
	for _, a := range actions {
		actionOfKey[a.Name] = a
	}
	var parts []keyPart
	for _, k := range keyCols {
		ts := types[k.Name]
		switch {
		case k.RefTable != "" && ts["FOREIGN KEY"]:
			k.Kind = "f"
			a := actionOfKey[k.Name]
			k.OnDelete, k.OnUpdate = a.OnDelete, a.OnUpdate
		case ts["PRIMARY KEY"]:
			k.Kind = "p"
		case ts["UNIQUE"]:
			k.Kind = "u"
		default:
			continue // a key of a constraint the table no longer lists
		}
		parts = append(parts, k)
	}
	indexes, err := conn.All[keyPart](ctx, db, conn.SQL(myIndexes), schema, name)
	if err != nil {
		return nil, nil, err
	}
	for _, ix := range indexes {
		if len(types[ix.Name]) == 0 { // an index backing no constraint
			parts = append(parts, ix)
		}
	}
	// Grouped as addKeys wants them; stable, so each key keeps its column order.
	slices.SortStableFunc(parts, func(a, b keyPart) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Kind, b.Kind))
	})
	return parts, checks, nil
}

func noRestrict(a Action) Action {
	if a == Restrict {
		return NoAction
	}
	return a
}
