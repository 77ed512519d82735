package schema

import (
	"context"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// Diff cannot tell a renamed column or table from one dropped and another added: rename first
// (in a Go migration), then let Diff plan the rest.

// RenameTable renames the table schema.from to to, in the same schema ("" for the default).
//
//	err := schema.RenameTable(ctx, db, "", "people", "users")
//	// ALTER TABLE "people" RENAME TO "users"
func RenameTable(ctx context.Context, db *conn.DB, schema, from, to string) error {
	return run(ctx, db, []string{renameTableSQL(db.Dialect(), schema, from, to)})
}

func renameTableSQL(d dialect.Dialect, schema, from, to string) string {
	b := append(appendTableName([]byte("ALTER TABLE "), d, schema, from), " RENAME TO "...)
	if d.Caps().DDL.RenameQualified {
		return string(appendTableName(b, d, schema, to))
	}
	return string(d.AppendIdent(b, to))
}

// RenameColumn renames a column of schema.table, keeping its values, type and constraints
// (ALTER TABLE ... RENAME COLUMN: PostgreSQL, MySQL 8, MariaDB 10.5, SQLite 3.25).
//
//	err := schema.RenameColumn(ctx, db, "", "jobs", "staus", "status")
//	// ALTER TABLE "jobs" RENAME COLUMN "staus" TO "status"
func RenameColumn(ctx context.Context, db *conn.DB, schema, table, from, to string) error {
	d := db.Dialect()
	b := append(appendTableName([]byte("ALTER TABLE "), d, schema, table), " RENAME COLUMN "...)
	b = append(d.AppendIdent(b, from), " TO "...)
	return run(ctx, db, []string{string(d.AppendIdent(b, to))})
}
