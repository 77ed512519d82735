package conn_test

import (
	"os/exec"
	"strings"
	"testing"
)

// goTool returns the go command, which these tests run on the module's own packages.
func goTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to check what a program links: %v", err)
	}
	return p
}

// conn links no database driver: each engine package links its own, so a program that
// imports only conn/postgres links no SQLite and no MySQL driver, and one that imports only
// conn/sqlite links no pgx. The engine packages do link theirs, so the check can fail.
func TestConnLinksNoOtherDriver(t *testing.T) {
	deps := func(pkg string) string {
		out, err := exec.Command(goTool(t), "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		return string(out)
	}
	const (
		pgx    = "github.com/jackc/pgx/v5"
		sqlite = "modernc.org/sqlite"
		mysql  = "github.com/go-sql-driver/mysql"
	)
	for _, c := range []struct {
		pkg        string
		links, not []string
	}{
		{"github.com/typedsql/typedsql/conn", nil, []string{pgx, sqlite, mysql}},
		{"github.com/typedsql/typedsql/conn/postgres", []string{pgx}, []string{sqlite, mysql}},
		{"github.com/typedsql/typedsql/conn/sqlite", []string{sqlite}, []string{pgx, mysql}},
		{"github.com/typedsql/typedsql/conn/mysql", []string{mysql}, []string{pgx, sqlite}},
	} {
		list := deps(c.pkg)
		for _, d := range c.links {
			if !strings.Contains(list, d+"\n") {
				t.Errorf("%s does not link %s: is this list of dependencies right?", c.pkg, d)
			}
		}
		for _, d := range c.not {
			if strings.Contains(list, d+"\n") {
				t.Errorf("%s links %s", c.pkg, d)
			}
		}
	}
}

// Opening a URL whose engine package the program did not import fails with an error that
// names the package to import (and no password).
func TestOpenWithoutEngine(t *testing.T) {
	out, err := exec.Command(goTool(t), "run", "./testdata/noengine").CombinedOutput()
	if err != nil {
		t.Fatalf("go run ./testdata/noengine: %v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{
		`conn: no sqlite engine is linked into this program: import _ "github.com/typedsql/typedsql/conn/sqlite"`,
		`conn: no mariadb engine is linked into this program: import _ "github.com/typedsql/typedsql/conn/mysql"`,
		`conn: no postgres engine is linked into this program: import _ "github.com/typedsql/typedsql/conn/postgres"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "hunter2") {
		t.Errorf("the error shows the password:\n%s", got)
	}
}
