package sqltext

import (
	"strconv"
	"strings"
	"testing"
)

func dollar(b []byte, n int) []byte { return strconv.AppendInt(append(b, '$'), int64(n), 10) }

var (
	pgSyntax    = Syntax{DollarQuotes: true, EscapeStrings: true, NestedComments: true}
	mysqlSyntax = Syntax{HashComments: true, BacktickQuotes: true, BackslashEscapes: true}
)

func TestRebind(t *testing.T) {
	for _, c := range []struct {
		in, want string
		n        int
	}{
		{"SELECT 1", "SELECT 1", 0},
		{"SELECT * FROM t WHERE a = ? AND b > ?", "SELECT * FROM t WHERE a = $1 AND b > $2", 2},
		{"INSERT INTO t VALUES (?,?,?)", "INSERT INTO t VALUES ($1,$2,$3)", 3},
		{"SELECT '?', 'it''s ?', ? FROM t", "SELECT '?', 'it''s ?', $1 FROM t", 1},
		{`SELECT "we?ird", "a""?" FROM t WHERE x = ?`, `SELECT "we?ird", "a""?" FROM t WHERE x = $1`, 1},
		{"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2},
		{"SELECT /* a ? /* nested ? */ still ? */ ?", "SELECT /* a ? /* nested ? */ still ? */ $1", 1},
		{"SELECT $$ a ? $$, $tag$ ? $$ ? $tag$, ?", "SELECT $$ a ? $$, $tag$ ? $$ ? $tag$, $1", 1},
		{`SELECT E'\'?', ?`, `SELECT E'\'?', $1`, 1},
		{"SELECT doc ?? 'k', doc ??| ?", "SELECT doc ? 'k', doc ?| $1", 1},
		{"SELECT a # ?", "SELECT a # $1", 1}, // # is an operator on PostgreSQL
		{"SELECT ? -- to the end", "SELECT $1 -- to the end", 1},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?", 0},
	} {
		got, n, err := Rebind(c.in, pgSyntax, dollar)
		if err != nil || got != c.want || n != c.n {
			t.Errorf("Rebind(%q) = %q, %d, %v; want %q, %d", c.in, got, n, err, c.want, c.n)
		}
	}
}

func TestRebindKeepsQuestionMarks(t *testing.T) {
	for _, c := range []struct {
		in string
		n  int
	}{
		{"SELECT ? FROM t WHERE a = ? # a comment ?\n AND b = ?", 3},
		{`SELECT 'it\'s ?', ` + "`we?ird`, ?", 1},
		{"SELECT $$?", 1}, // no dollar quotes on MySQL
	} {
		got, n, err := Rebind(c.in, mysqlSyntax, nil)
		if err != nil || got != c.in || n != c.n {
			t.Errorf("Rebind(%q) = %q, %d, %v; want it unchanged with %d", c.in, got, n, err, c.n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { Rebind("SELECT ? FROM t WHERE a = ?", mysqlSyntax, nil) }); n != 0 {
		t.Errorf("checking unchanged text allocates %v times", n)
	}
}

func TestRebindErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		syn  Syntax
		dest func([]byte, int) []byte
		want string
	}{
		{"SELECT ?1", pgSyntax, dollar, "numbered placeholder ?1"},
		{"SELECT a ?? b", mysqlSyntax, nil, "?? (a literal ?)"},
	} {
		_, _, err := Rebind(c.in, c.syn, c.dest)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Rebind(%q) error = %v; want one with %q", c.in, err, c.want)
		}
	}
}

func FuzzRebind(f *testing.F) {
	f.Add("SELECT 'a?' , ? -- ?\n /* ? */ $x$?$x$ ??")
	f.Fuzz(func(t *testing.T, s string) {
		out, n, err := Rebind(s, pgSyntax, dollar)
		if err != nil {
			return
		}
		_, m, err := Rebind(s, Syntax{DollarQuotes: true, EscapeStrings: true, NestedComments: true}, func(b []byte, _ int) []byte { return append(b, '?') })
		if err != nil || m != n {
			t.Fatalf("counts differ: %d, %d, %v", n, m, err)
		}
		if n == 0 && !strings.Contains(s, "??") && out != s {
			t.Fatalf("text without placeholders changed: %q -> %q", s, out)
		}
	})
}
