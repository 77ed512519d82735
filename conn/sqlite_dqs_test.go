package conn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// jobsTypoTable is a descriptor whose status column is misspelt, as a user might write it.
type jobsTypoTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id"`
	Status expr.Column[string] `db:"staus"`
}

var jobsTypo = expr.NewTable[jobsTypoTable]("jobs")

// TestSQLiteMistypedColumnIsAnError: SQLite's legacy quirk reads a double-quoted name that
// names no column as a string literal, so SELECT "nmae" returned the text "nmae" and
// DELETE ... WHERE "staus" <> 'running' compared two strings and deleted every row, with no
// error. conn turns the quirk off on every connection: the statement fails, classified as
// ErrProgramming, naming the column, as it does on PostgreSQL and MariaDB.
func TestSQLiteMistypedColumnIsAnError(t *testing.T) {
	for kind, url := range map[string]string{
		"file":   testcontainers.SQLite(t).URL,
		"memory": "sqlite:///:memory:",
	} {
		db := openURL(t, url)
		ctx := t.Context()
		mustExec(t, db, `CREATE TABLE "jobs" ("id" integer PRIMARY KEY, "status" text NOT NULL)`)
		mustExec(t, db, `INSERT INTO "jobs" VALUES (1, 'running'), (2, 'done')`)

		wantNoColumn := func(what string, err error, column string) {
			t.Helper()
			// SQLite's message: no such column: "staus" - should this be a string literal in
			// single-quotes?
			var e *conn.Error
			if !errors.As(err, &e) || !errors.Is(err, conn.ErrProgramming) || e.Column != column ||
				!strings.Contains(err.Error(), `no such column: "`+column+`"`) {
				t.Errorf("%s (%s database): %v; want ErrProgramming, no such column: %q", what, kind, err, column)
			}
		}
		_, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT "nmae" FROM "jobs" WHERE "id" = 1`))
		wantNoColumn("SELECT of a misspelt column", err, "nmae")
		_, err = db.Exec(ctx, conn.SQL(`DELETE FROM "jobs" WHERE "staus" <> 'running'`))
		wantNoColumn("DELETE on a misspelt column", err, "staus")
		_, err = db.Exec(ctx, builder.DeleteFrom(jobsTypo).Where(jobsTypo.Status.Ne("running")))
		wantNoColumn("built DELETE on a misspelt descriptor tag", err, "staus")
		_, err = conn.All[string](ctx, db, builder.Select(jobsTypo.Status).From(jobsTypo))
		wantNoColumn("built SELECT on a misspelt descriptor tag", err, "staus")

		if n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT count(*) FROM "jobs"`)); err != nil || n != 2 {
			t.Errorf("rows left (%s database): %d, %v; want both", kind, n, err)
		}
		// Correctly spelt quoted names and single-quoted strings are unaffected.
		got, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT "status" || '!' FROM "jobs" WHERE "id" = 2`))
		if err != nil || got != "done!" {
			t.Errorf("quoted column (%s database): %q, %v", kind, got, err)
		}
	}
}
