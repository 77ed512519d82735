package builder_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// goldenDialects are rendered for every case; MariaDB is written out only where it differs
// from MySQL, to keep the files readable.
var goldenDialects = []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite}

type goldenCase struct {
	name string
	stmt builder.Statement
}

// render formats what Build returns for d: the SQL and each argument with its Go type, or the
// error with its kind.
func render(s builder.Statement, d dialect.Dialect) string {
	sql, args, err := s.Build(d)
	if err != nil {
		kind := "other"
		switch {
		case errors.Is(err, expr.ErrUnsupported):
			kind = "unsupported"
		case errors.Is(err, expr.ErrInvalid):
			kind = "invalid"
		case errors.Is(err, expr.ErrInternal):
			kind = "INTERNAL"
		}
		if sql != "" || args != nil {
			kind += " (with output!)"
		}
		return "error[" + kind + "]: " + err.Error() + "\n"
	}
	var b strings.Builder
	b.WriteString(sql)
	b.WriteByte('\n')
	if len(args) > 0 {
		b.WriteString("args:")
		for _, a := range args {
			fmt.Fprintf(&b, " %T(%v)", a, a)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// checkGolden renders every case for every dialect into one text and compares it with
// testdata/<file>.golden. Run `go test ./builder -run Golden -update` to rewrite the file after
// a deliberate change, and review the diff.
func checkGolden(t *testing.T, file string, cases []goldenCase) {
	t.Helper()
	var out bytes.Buffer
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("duplicate case %q", c.name)
		}
		seen[c.name] = true
		fmt.Fprintf(&out, "== %s\n", c.name)
		var mysql string
		for _, d := range goldenDialects {
			r := render(c.stmt, d)
			// Rendering twice must give the same result: the first Build lends the statement's
			// inline args storage, later ones must not disturb it.
			if again := render(c.stmt, d); again != r {
				t.Errorf("%s/%s: second Build differs:\n%s\n%s", c.name, d.Name(), r, again)
			}
			switch d.Name() {
			case "mysql":
				mysql = r
			case "mariadb":
				if r == mysql {
					continue
				}
			}
			fmt.Fprintf(&out, "-- %s\n%s", d.Name(), r)
		}
		out.WriteByte('\n')
	}
	path := filepath.Join("testdata", file+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("output differs from %s (run with -update and review the diff):\n%s", path, lineDiff(string(want), out.String()))
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(wl), len(gl)) && n < 10; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, w, g)
			n++
		}
	}
	return b.String()
}
