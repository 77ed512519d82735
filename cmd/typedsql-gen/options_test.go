package main

import (
	"context"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// setup runs statements on a fresh database of each engine; stmts gets the engine's
// identifier quote.
func setup(t *testing.T, tdb *testcontainers.Database, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := conn.Open(ctx, tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := `"`
	if tdb.Engine == testcontainers.EngineMySQL {
		q = "`"
	}
	for _, s := range stmts {
		s = strings.ReplaceAll(s, `"`, q)
		if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func readGenerated(t *testing.T, dir string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, packageFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), packageFile, src, 0); err != nil {
		t.Fatalf("generated code does not parse: %v\n%s", err, src)
	}
	return string(src)
}

func mustContain(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

// TestNameCollisions: columns whose Go names collide, or take a descriptor's own names, are
// renamed as documented, with a warning each.
func TestNameCollisions(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		setup(t, tdb, `CREATE TABLE "things" ("user_id" INTEGER NOT NULL, "userId" INTEGER, "table" TEXT, "columns" TEXT, "table_name" TEXT, "write_ref" TEXT)`)
		out := t.TempDir()
		code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-pkg", "db")
		if code != exitOK {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		src := readGenerated(t, out)
		mustContain(t, "generated code", src, "UserID ", `db:"user_id"`, "UserID2 ", `db:"userId"`,
			"TableCol ", `db:"table"`, "ColumnsCol ", `db:"columns"`,
			// an exported method of expr.Table is reserved; an unexported one (writeRef) is not
			"TableNameCol ", `db:"table_name"`, "WriteRef ", `db:"write_ref"`)
		mustContain(t, "stderr", stderr, `column userId: Go name UserID is taken by column user_id: the field is UserID2`,
			"column table: Go name Table is reserved", "the field is TableCol")
	})
}

// TestTableCollision: two tables with one Go name are an error naming both; nothing is written.
func TestTableCollision(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		setup(t, tdb, `CREATE TABLE "order_item" ("id" INTEGER)`, `CREATE TABLE "orderItem" ("id" INTEGER)`)
		out := filepath.Join(t.TempDir(), "db")
		code, stderr := gen(t, "-url", tdb.URL, "-out", out)
		if code != exitError || !strings.Contains(stderr, "both need the Go name OrderItem:") ||
			!strings.Contains(stderr, "order_item") || !strings.Contains(stderr, "orderItem") {
			t.Fatalf("exit status %d, stderr %s", code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("the output directory was made: %v", err)
		}
		// -exclude resolves it.
		if code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-exclude", "orderItem"); code != exitOK {
			t.Fatalf("with -exclude: exit status %d: %s", code, stderr)
		}
	})
}

// TestUnmappableColumn: a column with no Go type is generated as any with its type and a
// warning; -strict makes that exit status 3, and nothing is written.
func TestUnmappableColumn(t *testing.T) {
	odd := map[testcontainers.Engine]string{
		testcontainers.EnginePostgres: "INTERVAL", testcontainers.EngineMySQL: "YEAR",
		testcontainers.EngineSQLite: "",
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		setup(t, tdb, `CREATE TABLE "events" ("id" INTEGER NOT NULL PRIMARY KEY, "every" `+odd[tdb.Engine]+`)`)
		out := filepath.Join(t.TempDir(), "db")
		code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-strict")
		if code != exitWarning || !strings.Contains(stderr, "table events, column every:") || !strings.Contains(stderr, "-strict: nothing written") {
			t.Fatalf("-strict: exit status %d, stderr %s", code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("-strict wrote the output directory: %v", err)
		}
		code, stderr = gen(t, "-url", tdb.URL, "-out", out)
		if code != exitOK || !strings.Contains(stderr, "warning: table events, column every:") {
			t.Fatalf("exit status %d, stderr %s", code, stderr)
		}
		mustContain(t, "generated code", readGenerated(t, out), "Every expr.Nullable[any]", `schema:"type=`)
	})
}

// TestConfigTypes: a config file maps a database type and a single column to Go types,
// imported as needed, and adds an initialism.
func TestConfigTypes(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		setup(t, tdb, `CREATE TABLE "prices" ("id" INTEGER NOT NULL PRIMARY KEY, "sku_code" VARCHAR(20) NOT NULL, "amount" NUMERIC(12,2) NOT NULL, "tax" NUMERIC(12,2))`)
		cfg := filepath.Join(t.TempDir(), "gen.yaml")
		if err := os.WriteFile(cfg, []byte("types:\n  numeric: github.com/shopspring/decimal.Decimal\n  decimal: github.com/shopspring/decimal.Decimal\n"+
			"columns:\n  prices.tax: string\ninitialisms: [sku]\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		if code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-pkg", "db", "-config", cfg); code != exitOK {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		src := readGenerated(t, out)
		mustContain(t, "generated code", src, `"github.com/shopspring/decimal"`,
			"Amount  expr.Column[decimal.Decimal]", `schema:"type=`, "Tax     expr.Nullable[string]", "SKUCode ")

		bad := filepath.Join(t.TempDir(), "bad.yaml")
		if err := os.WriteFile(bad, []byte("typez: {}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-pkg", "db", "-config", bad); code != exitError || !strings.Contains(stderr, "typez") {
			t.Errorf("an unknown config key: exit status %d, stderr %s", code, stderr)
		}
	})
}

// TestIncludeExcludeAndFiles: globs choose the tables; -files table writes one file per
// table, and a later run removes the file of a table it no longer generates, and nothing else.
func TestIncludeExcludeAndFiles(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		setup(t, tdb, `CREATE TABLE "app_users" ("id" INTEGER NOT NULL PRIMARY KEY)`,
			`CREATE TABLE "app_orders" ("id" INTEGER NOT NULL PRIMARY KEY)`,
			`CREATE TABLE "schema_migrations" ("version" INTEGER NOT NULL PRIMARY KEY)`)
		out := t.TempDir()
		if err := os.WriteFile(filepath.Join(out, "extra.go"), []byte("package db\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		list := func() []string {
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			return names
		}
		if code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-pkg", "db", "-files", "table", "-exclude", "schema_*"); code != exitOK {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		if got, want := list(), []string{"app_orders.gen.go", "app_users.gen.go", "extra.go", packageFile}; !slices.Equal(got, want) {
			t.Fatalf("files %v, want %v", got, want)
		}
		mustContain(t, "package file", readGenerated(t, out), "func Tables() []any { return []any{AppOrders, AppUsers} }")
		if code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-pkg", "db", "-files", "table", "-include", "app_u*"); code != exitOK {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		if got, want := list(), []string{"app_users.gen.go", "extra.go", packageFile}; !slices.Equal(got, want) {
			t.Fatalf("after -include: files %v, want %v", got, want)
		}
		code, stderr := gen(t, "-url", tdb.URL, "-out", out, "-pkg", "db", "-include", "nothing*")
		if code != exitError || !strings.Contains(stderr, "no tables to generate") {
			t.Fatalf("nothing included: exit status %d, stderr %s", code, stderr)
		}
	})
}

// TestErrors: bad flags, an unreachable server (its password never shown), an empty database
// and an output path that is not a directory fail with a clear message and write nothing.
func TestErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-out", "x"}, exitUsage, "no database"},
		{[]string{"-url", "sqlite:///x.db"}, exitUsage, "no output directory"},
		{[]string{"-url", "sqlite:///x.db", "-out", "x", "-pkg", "my-db"}, exitUsage, `-pkg "my-db" is not a Go package name`},
		{[]string{"-url", "sqlite:///x.db", "-out", "x", "-files", "each"}, exitUsage, "want package or table"},
		{[]string{"-url", "sqlite:///x.db", "-out", "x", "-include", "[a"}, exitUsage, "glob"},
		{[]string{"-url", "nosuch://h/db", "-out", "x"}, exitError, "nosuch"},
		{[]string{"-url", "postgres://app:s3cret@127.0.0.1:1/app?connect_timeout=2", "-out", "x", "-timeout", "10s"}, exitError, "127.0.0.1"},
	} {
		code, stderr := gen(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit status %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.msg)
		}
		if strings.Contains(stderr, "s3cret") {
			t.Errorf("%v: the password is in stderr: %s", c.args, stderr)
		}
	}
	if _, err := os.Stat("x"); !os.IsNotExist(err) {
		t.Errorf("a failed run made ./x: %v", err)
	}

	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		out := filepath.Join(t.TempDir(), "db")
		code, stderr := gen(t, "-url", tdb.URL, "-out", out)
		if code != exitError || !strings.Contains(stderr, "no tables to generate") {
			t.Fatalf("an empty database: exit status %d, stderr %s", code, stderr)
		}
		setup(t, tdb, `CREATE TABLE "t" ("id" INTEGER)`)
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		code, stderr = gen(t, "-url", tdb.URL, "-out", file)
		if code != exitError || !strings.Contains(stderr, "output directory") {
			t.Fatalf("-out names a file: exit status %d, stderr %s", code, stderr)
		}
	})
}

// TestDBConfig: the database may come from a YAML file of named databases, as conn.OpenNamed
// reads it; the header and the go:generate line name the file and the database, not the URL.
func TestDBConfig(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		setup(t, tdb, `CREATE TABLE "notes" ("id" INTEGER NOT NULL PRIMARY KEY, "body" TEXT)`)
		dir := t.TempDir()
		cfg := filepath.Join(dir, "databases.yaml")
		t.Setenv("TYPEDSQL_GEN_TEST_URL", tdb.URL)
		if err := os.WriteFile(cfg, []byte("other:\n  url: \"sqlite:///:memory:\"\nmain:\n  url: ${TYPEDSQL_GEN_TEST_URL}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "db")
		if code, stderr := gen(t, "-db-config", cfg, "-db", "main", "-out", out); code != exitOK {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		src := readGenerated(t, out)
		mustContain(t, "generated code", src, "from database main of "+filepath.ToSlash(cfg)+"; DO NOT EDIT.",
			"-db-config "+filepath.ToSlash(cfg)+" -db main -out . -pkg db", "Body expr.Nullable[string]")
		if strings.Contains(src, tdb.URL) {
			t.Errorf("the generated code holds the URL from the environment:\n%s", src)
		}
		if code, stderr := gen(t, "-db-config", cfg, "-db", "nosuch", "-out", out); code != exitError || !strings.Contains(stderr, "nosuch") {
			t.Errorf("an unknown database name: exit status %d, stderr %s", code, stderr)
		}
	})
}
