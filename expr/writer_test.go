package expr

import (
	"strconv"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/dialect"
)

// TestIntWritesEveryWidth covers Int's two ways, the small numbers written directly and the
// rest through strconv, at their boundaries.
func TestIntWritesEveryWidth(t *testing.T) {
	for _, n := range []int64{-100, -1, 0, 1, 9, 10, 42, 99, 100, 101, 1 << 40} {
		w := &Writer{buf: make([]byte, 0, 1)}
		w.Text("LIMIT ")
		w.Int(n)
		if got, want := string(w.buf), "LIMIT "+strconv.FormatInt(n, 10); got != want {
			t.Errorf("Int(%d) wrote %q, want %q", n, got, want)
		}
	}
}

// TestPlaceholdersNumberedAcrossWidths checks PostgreSQL's placeholders from $1 to $120:
// one digit, two (written directly) and three (through strconv).
func TestPlaceholdersNumberedAcrossWidths(t *testing.T) {
	w := acquire(dialect.Postgres)
	defer release(w)
	var want strings.Builder
	for i := 1; i <= 120; i++ {
		w.Char(' ')
		w.Arg(i)
		want.WriteString(" $" + strconv.Itoa(i))
	}
	if got := string(w.buf); got != want.String() {
		t.Errorf("placeholders:\n got %s\nwant %s", got, want.String())
	}
}
