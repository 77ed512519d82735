package schema_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

type jobsTable struct {
	expr.Table
	ID       expr.Column[int64]     `db:"id" schema:"identity"`
	Status   expr.Column[string]    `db:"status" schema:"size=20"`
	Attempts expr.Column[int32]     `db:"attempts" schema:"default=0"`
	Note     expr.Nullable[string]  `db:"note"`
	Payload  expr.Nullable[[]byte]  `db:"payload"`
	RunAt    expr.Column[time.Time] `db:"run_at"`
	Done     expr.Column[bool]      `db:"done"`
}

// jobsTypoTable is the descriptor from issue 13: the status column's tag is misspelt.
type jobsTypoTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id"`
	Status expr.Column[string] `db:"staus"`
}

// jobsWrongTable disagrees with the live jobs table in every way Check knows.
type jobsWrongTable struct {
	expr.Table
	ID       expr.Column[int32]     `db:"id"`                      // BIGINT does not fit in int32
	Status   expr.Nullable[string]  `db:"status" schema:"size=30"` // NOT NULL, and 20 long
	Attempts expr.Column[string]    `db:"attempts"`                // an integer column
	Note     expr.Column[string]    `db:"note"`                    // may hold NULL
	RunAt    expr.Column[time.Time] `db:"run_at"`                  // fine
	Done     expr.Column[float64]   `db:"done"`                    // a boolean column
}

type ghostsTable struct {
	expr.Table
	ID expr.Column[int64] `db:"id"`
}

// TestCheck: Check finds nothing wrong with the descriptor that created the table, and every
// difference, at once, with descriptors that disagree with it, on each engine: the misspelt
// column of issue 13 among them.
func TestCheck(t *testing.T) {
	jobs := expr.NewTable[jobsTable]("jobs")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, jobs); err != nil {
			t.Fatal(err)
		}
		if err := schema.Check(ctx, db, jobs); err != nil {
			t.Fatalf("Check of the descriptor that created the table: %v", err)
		}

		err := schema.Check(ctx, db, expr.NewTable[jobsTypoTable]("jobs"))
		var ce *schema.CheckError
		if !errors.As(err, &ce) || !errors.Is(err, schema.ErrMismatch) {
			t.Fatalf("typo: err = %v, want a *CheckError", err)
		}
		want := []schema.Mismatch{{Kind: schema.MissingColumn, Table: "jobs", Column: "staus", Detail: `not in the table (did you mean "status"?)`}}
		if !slices.Equal(ce.Mismatches, want) {
			t.Errorf("typo: %+v, want %+v", ce.Mismatches, want)
		}

		err = schema.Check(ctx, db, expr.NewTable[jobsWrongTable]("jobs"), expr.NewTable[ghostsTable]("ghosts"))
		if !errors.As(err, &ce) {
			t.Fatalf("wrong: err = %v", err)
		}
		var got []string
		for _, m := range ce.Mismatches {
			got = append(got, m.Kind.String()+" "+m.Table+"."+m.Column)
		}
		wantKinds := []string{
			"type jobs.id", "nullability jobs.status", "length jobs.status",
			"type jobs.attempts", "nullability jobs.note", "type jobs.done", "missing table ghosts.",
		}
		if db.Dialect().Caps().DDL.IntegerBits == 64 {
			// SQLite's INTEGER is its only integer type: Create makes it for an int32 too,
			// so Check accepts it for any Go integer.
			wantKinds = wantKinds[1:]
		}
		if !slices.Equal(got, wantKinds) {
			t.Errorf("mismatches:\n%v\nwant:\n%v\n%v", got, wantKinds, err)
		}
		wantText := []string{"differences", `column "note": the column may hold NULL but the descriptor declares expr.Column[string]`,
			`size=30`, `table "ghosts": not in the database`}
		if len(wantKinds) == 7 {
			wantText = append(wantText, `table "jobs", column "id": Go int32 cannot hold`, "64-bit integers")
		}
		for _, s := range wantText {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error lacks %q:\n%v", s, err)
			}
		}
	})
}

// TestCheckHandWrittenTables: tables written by hand in each engine's own types pass Check
// against the descriptor whose Go types hold their values: serial and SMALLINT for integers,
// TINYINT(1) for a bool on MySQL, TEXT times and INTEGER booleans on SQLite.
func TestCheckHandWrittenTables(t *testing.T) {
	jobs := expr.NewTable[jobsTable]("jobs")
	ddl := map[testcontainers.Engine]string{
		testcontainers.EnginePostgres: `CREATE TABLE jobs (id serial PRIMARY KEY, status varchar(20) NOT NULL,
			attempts smallint NOT NULL DEFAULT 0, note text, payload bytea, run_at timestamptz NOT NULL,
			done boolean NOT NULL, extra int)`,
		testcontainers.EngineMySQL: `CREATE TABLE jobs (id INT AUTO_INCREMENT PRIMARY KEY, status VARCHAR(20) NOT NULL,
			attempts SMALLINT NOT NULL DEFAULT 0, note MEDIUMTEXT, payload BLOB, run_at DATETIME(6) NOT NULL,
			done TINYINT(1) NOT NULL, extra INT)`,
		testcontainers.EngineSQLite: `CREATE TABLE jobs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0, note TEXT, payload BLOB, run_at TEXT NOT NULL,
			done INTEGER NOT NULL, extra)`,
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if _, err := db.Exec(ctx, conn.SQL(ddl[tdb.Engine])); err != nil {
			t.Fatal(err)
		}
		if err := schema.Check(ctx, db, jobs); err != nil {
			t.Error(err)
		}
	})
}
