package dialect_test

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/typedsql/typedsql/dialect"
)

var allDialects = []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite}

// unquoteIdent reads one quoted identifier from the start of s the way the engine's lexer does:
// it opens with q, a doubled q stands for one q, and a single q closes it. It returns the name
// and what follows the closing quote.
func unquoteIdent(s []byte, q byte) (name string, rest []byte, err error) {
	if len(s) == 0 || s[0] != q {
		return "", s, fmt.Errorf("does not start with %q", q)
	}
	var b []byte
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			b = append(b, s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			b = append(b, q)
			i++
			continue
		}
		return string(b), s[i+1:], nil
	}
	return "", nil, errors.New("no closing quote")
}

// FuzzAppendIdent checks that every dialect quotes any name so that the engine reads back
// exactly that name as one identifier: the quoted form ends where AppendIdent stopped writing,
// so nothing in a name (quotes of either kind, SQL, comments, bytes that are not UTF-8) can end
// the identifier early and continue as SQL. The seed corpus is in testdata/fuzz/FuzzAppendIdent.
// (A name with a NUL byte quotes here too; the renderer refuses it, see builder's FuzzRender.)
func FuzzAppendIdent(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string) {
		for _, d := range allDialects {
			q := d.Caps().IdentQuote
			prefix := []byte("SELECT ")
			out := d.AppendIdent(bytes.Clone(prefix), name)
			if !bytes.HasPrefix(out, prefix) {
				t.Fatalf("%s: AppendIdent(%q) changed the bytes before it: %q", d.Name(), name, out)
			}
			quoted := out[len(prefix):]
			got, rest, err := unquoteIdent(quoted, q)
			if err != nil {
				t.Fatalf("%s: AppendIdent(%q) = %s: %v", d.Name(), name, quoted, err)
			}
			if len(rest) > 0 {
				t.Fatalf("%s: AppendIdent(%q) = %s: the identifier closes early, %q follows as SQL", d.Name(), name, quoted, rest)
			}
			if got != name {
				t.Fatalf("%s: AppendIdent(%q) = %s reads back as %q", d.Name(), name, quoted, got)
			}
			if want := len(name) + 2 + bytes.Count([]byte(name), []byte{q}); len(quoted) != want {
				t.Fatalf("%s: AppendIdent(%q) = %s: %d bytes, want %d", d.Name(), name, quoted, len(quoted), want)
			}
		}
	})
}

// FuzzAppendPlaceholder checks placeholders for any argument number: $n with n in decimal on
// PostgreSQL, a lone ? elsewhere, appended without disturbing what precedes them.
func FuzzAppendPlaceholder(f *testing.F) {
	for _, n := range []int{1, 2, 9, 10, 99, 100, 65535, 1 << 31} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int) {
		if n < 1 {
			return // argument numbers start at 1
		}
		for _, d := range allDialects {
			out := string(d.AppendPlaceholder([]byte("x = "), n))
			want := "x = ?"
			if d.Caps().Placeholder == '$' {
				want = "x = $" + strconv.Itoa(n)
			}
			if out != want {
				t.Fatalf("%s: AppendPlaceholder(%d) = %q, want %q", d.Name(), n, out, want)
			}
		}
	})
}
