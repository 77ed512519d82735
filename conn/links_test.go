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

// A program that imports conn for PostgreSQL links no SQLite and no MySQL driver: those come
// only with conn/sqlite and conn/mysql. The engine packages do link theirs, so the check can
// fail.
func TestConnLinksNoOtherDriver(t *testing.T) {
	deps := func(pkg string) string {
		out, err := exec.Command(goTool(t), "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		return string(out)
	}
	conn := deps("github.com/typedsql/typedsql/conn")
	for _, driver := range []string{"modernc.org/sqlite", "github.com/go-sql-driver/mysql"} {
		if strings.Contains(conn, driver+"\n") {
			t.Errorf("conn links %s", driver)
		}
	}
	if !strings.Contains(conn, "github.com/jackc/pgx/v5\n") {
		t.Error("conn does not link pgx: is this list of dependencies right?")
	}
	if !strings.Contains(deps("github.com/typedsql/typedsql/conn/sqlite"), "modernc.org/sqlite\n") {
		t.Error("conn/sqlite does not link modernc.org/sqlite")
	}
	if !strings.Contains(deps("github.com/typedsql/typedsql/conn/mysql"), "github.com/go-sql-driver/mysql\n") {
		t.Error("conn/mysql does not link go-sql-driver/mysql")
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
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "hunter2") {
		t.Errorf("the error shows the password:\n%s", got)
	}
}
