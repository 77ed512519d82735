package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

// tempModule makes a module "gentest" in a temporary directory that requires this one
// (replaced by the working tree) and every module this one requires, with its go.sum, so that
// generated code builds offline. The full requirement list matters: with only typedsql
// required, the go command reads the go.mod files of what the drivers' older modules require
// (pgpassfile's testify, yaml.v3's check.v1), which a fresh module cache does not hold.
func tempModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var mod strings.Builder
	fmt.Fprintf(&mod, "module gentest\n\ngo 1.26.0\n\nrequire github.com/typedsql/typedsql v0.0.0\n\n")
	for _, block := range requireBlock.FindAllString(string(ours), -1) {
		mod.WriteString(block + "\n\n")
	}
	fmt.Fprintf(&mod, "replace github.com/typedsql/typedsql => %s\n", root)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// requireBlock matches the require blocks and lines of a go.mod.
var requireBlock = regexp.MustCompile(`(?m)^require (\((?s:.*?)\n\)|[^\n(]+)$`)

// offlineGo returns the go command to run with args in dir, offline and unaffected by the
// caller's GOFLAGS and go.work.
func offlineGo(dir string, args ...string) *exec.Cmd {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	return cmd
}

// goCmd runs the go command in dir, offline, and returns its combined output.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := offlineGo(dir, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestGeneratedCodeRuns generates each engine's fixture into a temporary module, builds and
// vets it, and runs a program that checks the descriptors against the database (schema.Check),
// inserts rows through them, reads them back into the row structs (conn.All) with a join over
// the foreign-key helpers and a select from the view, and makes the tables in an empty
// database (schema.Create). The tables made again, read back, must equal the originals in all
// a descriptor declares.
func TestGeneratedCodeRuns(t *testing.T) {
	for _, e := range testcontainers.Engines {
		t.Run(string(e), func(t *testing.T) {
			live := fixture(t, e)
			empty := testcontainers.Open(t, e)
			ctx := context.Background()
			if e == testcontainers.EnginePostgres {
				execSQL(t, empty.URL, "CREATE SCHEMA billing")
			}
			mod := tempModule(t)
			if code, stderr := gen(t, fixtureArgs(live, filepath.Join(mod, "db"))...); code != exitOK {
				t.Fatalf("exit status %d: %s", code, stderr)
			}
			// The same tables one file per table, in a second package the build compiles too.
			perTable := append(fixtureArgs(live, filepath.Join(mod, "dbt")), "-pkg", "dbt", "-files", "table", "-no-rows")
			if code, stderr := gen(t, perTable...); code != exitOK {
				t.Fatalf("-files table: exit status %d: %s", code, stderr)
			}
			usersFile := "users.gen.go"
			if e == testcontainers.EnginePostgres {
				usersFile = "public_users.gen.go" // a table of a named schema: its file says which
			}
			users, err := os.ReadFile(filepath.Join(mod, "dbt", usersFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(users), "type UsersTable struct") || strings.Contains(string(users), "UsersRow") {
				t.Errorf("-files table -no-rows: users.gen.go:\n%s", users)
			}
			prog, err := os.ReadFile(filepath.Join("testdata", "usegen", "main.go.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(mod, "main.go"), prog, 0o644); err != nil {
				t.Fatal(err)
			}
			goCmd(t, mod, "build", "./...")
			goCmd(t, mod, "vet", "./...")
			viewIsReadOnly(t, mod)
			got := goCmd(t, mod, "run", ".", live.URL, empty.URL)
			want := "user 1 ann@example.com ann visits=0 active=true avatar=<nil> created=true\n" +
				"order 10 user 1 new 12.50 note=<nil>\n" +
				"join ann gift 12.50\n" +
				"note 1 10 gift wrap it\n" +
				"view 1 ann@example.com\n" +
				"created\n"
			if got != want {
				t.Fatalf("the program using the generated code printed\n%s\nwant\n%s", got, want)
			}
			compareSchemas(ctx, t, live, empty)

			// The //go:generate line regenerates the package in place, byte for byte. (The
			// fixture's rows are in the tables now; the code does not depend on them.)
			before, err := os.ReadFile(filepath.Join(mod, "db", packageFile))
			if err != nil {
				t.Fatal(err)
			}
			goCmd(t, mod, "generate", "./db")
			after, err := os.ReadFile(filepath.Join(mod, "db", packageFile))
			if err != nil {
				t.Fatal(err)
			}
			if string(before) != string(after) {
				t.Errorf("go generate wrote other code:\n%s\n----\n%s", before, after)
			}
		})
	}
}

// viewIsReadOnly builds, in the temporary module, a program that deletes from the generated
// view's descriptor: it must not compile, and the compiler must say why.
func viewIsReadOnly(t *testing.T, mod string) {
	t.Helper()
	dir := filepath.Join(mod, "writeview")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	const prog = `package main

import (
	"gentest/db"

	"github.com/typedsql/typedsql/builder"
)

func main() { _ = builder.DeleteFrom(db.ActiveUsers) }
`
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	out, err := offlineGo(mod, "build", "-o", os.DevNull, "./writeview").CombinedOutput()
	if err == nil {
		t.Fatal("DELETE FROM a generated view's descriptor compiled")
	}
	for _, want := range []string{"does not implement expr.Target", "wrong type for method isTableNotView"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the compiler's error for DELETE FROM a view does not say %q:\n%s", want, out)
		}
	}
}

func execSQL(t *testing.T, url, stmt string) {
	t.Helper()
	db, err := conn.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(context.Background(), conn.SQL(stmt)); err != nil {
		t.Fatal(err)
	}
}

// fixtureTables are the tables of the fixtures: schema, name.
func fixtureTables(e testcontainers.Engine) [][2]string {
	tables := [][2]string{{"", "users"}, {"", "orders"}, {"", "order_tags"}, {"", "tag_notes"}}
	if e == testcontainers.EnginePostgres {
		for i := range tables {
			tables[i][0] = "public"
		}
		tables = append(tables, [2]string{"billing", "accounts"})
	}
	return tables
}

// compareSchemas reads the fixture's tables from both databases and compares what a
// descriptor declares: columns with their Go types and nullability, whether they have a
// default, keys, unique constraints and plain indexes by their columns, foreign keys and
// their actions, checks and comments by count.
func compareSchemas(ctx context.Context, t *testing.T, a, b *testcontainers.Database) {
	t.Helper()
	da, err := conn.Open(ctx, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer da.Close()
	db, err := conn.Open(ctx, b.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, st := range fixtureTables(a.Engine) {
		ta, err := schema.Inspect(ctx, da, st[0], st[1])
		if err != nil {
			t.Fatal(err)
		}
		tb, err := schema.Inspect(ctx, db, st[0], st[1])
		if err != nil {
			t.Fatal(err)
		}
		ddl := da.Dialect().Caps().DDL
		if sa, sb := summary(ddl, ta), summary(ddl, tb); sa != sb {
			t.Errorf("table %s made again from the generated descriptor differs:\noriginal:\n%s\nmade again:\n%s", st[1], sa, sb)
		}
	}
}

func summary(ddl dialect.DDLTypes, t schema.Table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "comment %q\n", t.Comment)
	for _, c := range t.Columns {
		if strings.TrimSpace(c.Type) == "" {
			c.Type = "BLOB" // SQLite's typeless column is generated as type=BLOB, as documented
		}
		gt, _ := builtinType(ddl, c.Type)
		fmt.Fprintf(&b, "column %s %s null=%v default=%v len=%d\n", c.Name, gt.Name, c.Nullable, c.Default != "" || c.Identity, c.Length)
	}
	fmt.Fprintf(&b, "pk %v\n", t.PrimaryKey)
	var keys []string
	for _, u := range t.Uniques {
		keys = append(keys, fmt.Sprintf("unique %v", u.Columns))
	}
	for _, ix := range t.Indexes {
		if !plainIndex(ix) {
			continue // an expression index has no tag: the warning says so
		}
		var cols []string
		for _, k := range ix.Keys {
			cols = append(cols, k.Column)
		}
		kind := "index"
		if ix.Unique {
			kind = "unique"
		}
		keys = append(keys, fmt.Sprintf("%s %v", kind, cols))
	}
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) > 1 {
			continue // a composite key has no tag form: the warning says so
		}
		keys = append(keys, fmt.Sprintf("fk %v -> %s.%s%v delete=%s update=%s", fk.Columns, fk.RefSchema, fk.RefTable, fk.RefColumns, fk.OnDelete, fk.OnUpdate))
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(k + "\n")
	}
	fmt.Fprintf(&b, "checks %d\n", len(t.Checks))
	return b.String()
}
