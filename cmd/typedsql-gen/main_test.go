package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

func TestMain(m *testing.M) { testcontainers.Main(m) }

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixture is a fresh database of engine e holding testdata/<engine>.sql: every column type
// the generator maps (and one or two it cannot), nullable and not, a composite key, foreign
// keys (one across schemas on PostgreSQL), indexes, a check and a view.
func fixture(t *testing.T, e testcontainers.Engine) *testcontainers.Database {
	t.Helper()
	tdb := testcontainers.Open(t, e)
	ddl, err := os.ReadFile(filepath.Join("testdata", string(e)+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := conn.Open(ctx, tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for stmt := range strings.SplitSeq(string(ddl), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := db.Exec(ctx, conn.SQL(stmt)); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return tdb
}

// gen runs the command with args, and returns its exit status and stderr.
func gen(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stderr.String()
}

// fixtureArgs are the flags the golden files and the compile test generate with.
func fixtureArgs(tdb *testcontainers.Database, out string) []string {
	args := []string{"-url", tdb.URL, "-out", out, "-pkg", "db", "-views"}
	if tdb.Engine == testcontainers.EnginePostgres {
		args = append(args, "-schema", "public,billing")
	}
	return args
}

// normalize replaces the fresh database's URL, which differs from run to run, in the header
// and the go:generate line.
func normalize(src []byte, tdb *testcontainers.Database) []byte {
	src = bytes.ReplaceAll(src, []byte(passwordFromEnv(tdb.URL)), []byte("URL"))
	return bytes.ReplaceAll(src, []byte(tdb.Redacted()), []byte("URL"))
}

// TestGolden generates the fixture of each engine, twice, and compares the code with
// testdata/golden/<engine>.go.golden (go test -update rewrites them): the same database gives
// the same bytes.
func TestGolden(t *testing.T) {
	for _, e := range testcontainers.Engines {
		t.Run(string(e), func(t *testing.T) {
			tdb := fixture(t, e)
			var first []byte
			for i := range 2 {
				out := t.TempDir()
				code, stderr := gen(t, fixtureArgs(tdb, out)...)
				if code != exitOK {
					t.Fatalf("exit status %d: %s", code, stderr)
				}
				for _, want := range []string{"tag_notes, column order_id: composite foreign key", "users, column remind_every: type \"interval\" has no Go type"} {
					if e != testcontainers.EnginePostgres && strings.Contains(want, "interval") {
						continue
					}
					if !strings.Contains(stderr, want) {
						t.Errorf("stderr lacks %q:\n%s", want, stderr)
					}
				}
				src, err := os.ReadFile(filepath.Join(out, packageFile))
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = src
					continue
				}
				if !bytes.Equal(first, src) {
					t.Fatalf("two runs on one database wrote different code:\n%s\n----\n%s", first, src)
				}
			}
			golden := filepath.Join("testdata", "golden", string(e)+".go.golden")
			got := normalize(first, tdb)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("generated code differs from %s (go test -update rewrites it); got:\n%s", golden, got)
			}
		})
	}
}
