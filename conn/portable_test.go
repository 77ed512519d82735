package conn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestPortable: one SQL text with ? placeholders runs on every engine; a ? in a string, a
// quoted identifier or a comment is not a placeholder.
func TestPortable(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openT(t, tdb)
		quoted := `"why?"`
		if engine(db) == "mysql" || engine(db) == "mariadb" {
			quoted = "`why?`"
		}
		mustExec(t, db, "CREATE TABLE faq (id int PRIMARY KEY, q varchar(50) NOT NULL, "+quoted+" varchar(50))")
		ins := conn.Portable("INSERT INTO faq (id, q, " + quoted + ") VALUES (?, ?, 'because?') -- ids ?, questions ?\n")
		for i, q := range []string{"who?", "what?", "when?"} {
			if _, err := db.Exec(ctx, ins, i+1, q); err != nil {
				t.Fatal(err)
			}
		}
		got, err := conn.All[string](ctx, db, conn.Portable(`SELECT q FROM faq /* not this ? */ WHERE id > ? AND q <> 'x?' AND `+quoted+` = ? ORDER BY id`), 1, "because?")
		if err != nil || strings.Join(got, " ") != "what? when?" {
			t.Errorf("All = %q, %v", got, err)
		}
		n, err := conn.Scalar[int64](ctx, db, conn.ReadOnly(conn.Portable("SELECT COUNT(*) FROM faq WHERE q LIKE ?")), "wh%")
		if err != nil || n != 3 {
			t.Errorf("Scalar through ReadOnly = %d, %v", n, err)
		}

		_, err = db.Exec(ctx, conn.Portable("DELETE FROM faq WHERE id = ? AND q = ?"), 1)
		if !errors.Is(err, conn.ErrProgramming) || !strings.Contains(err.Error(), "2 placeholders, 1 arguments") {
			t.Errorf("too few arguments: %v", err)
		}
		_, err = db.Exec(ctx, conn.Portable("DELETE FROM faq WHERE id = ?1"), 1)
		if !errors.Is(err, conn.ErrProgramming) || !strings.Contains(err.Error(), "numbered placeholder") {
			t.Errorf("a numbered placeholder: %v", err)
		}
	})
}

// TestPortableJSONBOperator: on PostgreSQL ?? is jsonb's ? operator; elsewhere it is an error.
func TestPortableJSONBOperator(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openT(t, tdb)
		stmt := conn.Portable(`SELECT CAST(? AS jsonb) ?? ?`)
		got, err := conn.Scalar[bool](ctx, db, stmt, `{"a": 1}`, "a")
		if engine(db) != "postgres" {
			if !errors.Is(err, conn.ErrProgramming) || !strings.Contains(err.Error(), "a literal ?") {
				t.Errorf("?? on %s: %v", engine(db), err)
			}
			return
		}
		if err != nil || !got {
			t.Errorf("jsonb ? operator: %v, %v", got, err)
		}
	})
}
