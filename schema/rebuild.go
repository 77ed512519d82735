package schema

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// rebuildTmpPrefix names the table a rebuild builds before it takes the old one's name.
const rebuildTmpPrefix = "_typedsql_new_"

// rebuild folds the changes Diff found for one table into a RebuildTable change whose SQL is
// the rebuild's statements.
func rebuild(ctx context.Context, db *conn.DB, want, live *Table, chs []Change) (Change, error) {
	d := db.Dialect()
	var details []string
	destructive := false
	for _, c := range chs {
		s := c.Kind.String()
		if c.Name != "" {
			s += " " + c.Name
		}
		if c.Detail != "" {
			s += " (" + c.Detail + ")"
		}
		details = append(details, s)
		destructive = destructive || c.Destructive || c.Kind == DropColumn
	}
	deps, err := sqliteDependents(ctx, db, want.Schema, want.Name)
	if err != nil {
		return Change{}, err
	}
	if lost := rebuildLoses(deps.table); lost != "" {
		return Change{}, fmt.Errorf("%w: SQLite table %q is declared with %s, which the schema model does not hold and a rebuild would lose: write this change by hand (%s)",
			ErrUnsupportedChange, want.QualifiedName(), lost, strings.Join(details, "; "))
	}
	tmp := *want
	tmp.Name, tmp.Indexes, tmp.Comment = rebuildTmpPrefix+want.Name, nil, ""
	create, err := createTable(d, &tmp, false, nil)
	if err != nil {
		return Change{}, err
	}
	stmts := slices.Clone(create)
	var cols []string
	for _, c := range want.Columns {
		if _, ok := live.Column(c.Name); ok {
			cols = append(cols, c.Name)
		}
	}
	if len(cols) > 0 {
		list := string(appendIdents(nil, d, cols))
		stmts = append(stmts, string(appendTableName([]byte("INSERT INTO "), d, tmp.Schema, tmp.Name))+" ("+list+") SELECT "+list+
			" FROM "+string(appendTableName(nil, d, want.Schema, want.Name)))
	}
	for i := len(deps.views) - 1; i >= 0; i-- {
		stmts = append(stmts, string(appendTableName([]byte("DROP VIEW "), d, want.Schema, deps.views[i].Name)))
	}
	stmts = append(stmts, string(appendTableName([]byte("DROP TABLE "), d, want.Schema, want.Name)))
	stmts = append(stmts, string(d.AppendIdent(append(appendTableName([]byte("ALTER TABLE "), d, tmp.Schema, tmp.Name), " RENAME TO "...), want.Name)))
	for i := range want.Indexes {
		stmts = append(stmts, createIndexSQL(d, want.Schema, want.Name, &want.Indexes[i], false))
	}
	for _, tr := range deps.triggers {
		stmts = append(stmts, tr.SQL)
	}
	for _, v := range deps.views {
		stmts = append(stmts, v.SQL)
	}
	return Change{Kind: RebuildTable, Table: want.QualifiedName(), Detail: strings.Join(details, "; "),
		Destructive: destructive, SQL: stmts, rebuild: true}, nil
}

type sqliteDeps struct {
	table           string // the table's CREATE TABLE
	triggers, views []sqliteSQL
}

// rebuildLoses names what a table's CREATE TABLE declares that a rebuild from the model would
// not make again ("" when nothing): the model has no AUTOINCREMENT, collations, generated
// columns, WITHOUT ROWID or STRICT. The words are looked for in the whole text, so one in a
// string or a comment refuses a rebuild that would have been safe: refusing is the safe side.
func rebuildLoses(create string) string {
	up := strings.ToUpper(create)
	var found []string
	for _, w := range []string{"AUTOINCREMENT", "COLLATE", "GENERATED", "WITHOUT ROWID", "STRICT"} {
		if mentions(up, w) {
			found = append(found, w)
		}
	}
	if strings.Contains(up, " AS (") {
		found = append(found, "a generated column (AS (...))")
	}
	return strings.Join(found, ", ")
}

// sqliteDependents reads the triggers on a table and every view of its schema, in the order
// they were created: a rebuild drops the views (any may name the table) and makes them again.
func sqliteDependents(ctx context.Context, db *conn.DB, schema, table string) (sqliteDeps, error) {
	s := schema
	if s == "" {
		s = "main"
	}
	from := string(db.Dialect().AppendIdent(nil, s)) + ".sqlite_schema"
	var deps sqliteDeps
	var err error
	deps.table, err = conn.Scalar[string](ctx, db, conn.SQL(`SELECT sql FROM `+from+
		` WHERE type = 'table' AND name = ?1`), table)
	if err != nil {
		return deps, fmt.Errorf("schema: reading the CREATE TABLE of %q: %w", table, err)
	}
	deps.triggers, err = conn.All[sqliteSQL](ctx, db, conn.SQL(`SELECT name, sql FROM `+from+
		` WHERE type = 'trigger' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY rowid`), table)
	if err != nil {
		return deps, fmt.Errorf("schema: reading the triggers of %q: %w", table, err)
	}
	deps.views, err = conn.All[sqliteSQL](ctx, db, conn.SQL(`SELECT name, sql FROM `+from+
		` WHERE type = 'view' AND sql IS NOT NULL ORDER BY rowid`))
	if err != nil {
		return deps, fmt.Errorf("schema: reading the views of %q: %w", s, err)
	}
	return deps, nil
}

// fkViolation is one row of PRAGMA foreign_key_check.
type fkViolation struct {
	Table  string `db:"table"`
	RowID  *int64 `db:"rowid"`
	Parent string `db:"parent"`
	FKID   int64  `db:"fkid"`
}

// runRebuild runs statements that rebuild tables: foreign key enforcement off on one
// connection (it cannot change inside a transaction), the statements and the foreign key
// check in one transaction, and enforcement back on as it was.
func runRebuild(ctx context.Context, db *conn.DB, stmts []string) error {
	ddl := db.Dialect().Caps().DDL
	return db.WithConn(ctx, func(ctx context.Context) error {
		on, err := conn.Scalar[int64](ctx, db, conn.SQL(ddl.ForeignKeysQuery))
		if err != nil {
			return fmt.Errorf("schema: rebuild: %w", err)
		}
		if on == 1 {
			if _, err := db.Exec(ctx, conn.SQL(ddl.ForeignKeysOff)); err != nil {
				return fmt.Errorf("schema: rebuild: %w", err)
			}
			defer func() {
				if _, rerr := db.Exec(context.WithoutCancel(ctx), conn.SQL(ddl.ForeignKeysOn)); rerr != nil && err == nil {
					err = fmt.Errorf("schema: rebuild: turning foreign keys back on: %w", rerr)
				}
			}()
			// Inside a transaction the pragma changes nothing, and DROP TABLE would run the
			// ON DELETE actions of the keys pointing at the table: CASCADE deletes their rows.
			still, err := conn.Scalar[int64](ctx, db, conn.SQL(ddl.ForeignKeysQuery))
			if err != nil {
				return fmt.Errorf("schema: rebuild: %w", err)
			}
			if still == 1 {
				return fmt.Errorf("%w: a SQLite table rebuild cannot run inside a transaction while foreign keys are enforced "+
					"(PRAGMA foreign_keys cannot change in one, and DROP TABLE would run the ON DELETE actions of the keys "+
					"pointing at the table): run it outside the transaction (a migration with NoTransaction)", ErrUnsupportedChange)
			}
		}
		err = db.Atomic(ctx, func(ctx context.Context) error {
			for _, s := range stmts {
				if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
					return fmt.Errorf("schema: %s: %w", s, err)
				}
			}
			if on != 1 {
				return nil
			}
			bad, err := conn.All[fkViolation](ctx, db, conn.SQL(ddl.ForeignKeyCheck))
			if err != nil {
				return fmt.Errorf("schema: rebuild: %w", err)
			}
			if len(bad) > 0 {
				b := bad[0]
				return fmt.Errorf("schema: rebuild: %d rows break a foreign key (first: table %q, rowid %v, referencing %q); nothing was changed",
					len(bad), b.Table, derefRowID(b.RowID), b.Parent)
			}
			return nil
		})
		return err
	})
}

func derefRowID(p *int64) any {
	if p == nil {
		return "none"
	}
	return *p
}

// rebuilds reports whether the engine changes tables by rebuilding them.
func rebuilds(d dialect.Dialect) bool {
	ddl := d.Caps().DDL
	return ddl.AlterColumn == dialect.AlterColumnNone && ddl.ForeignKeyCheck != ""
}
