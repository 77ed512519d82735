package expr

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/typedsql/typedsql/dialect"
)

// rendered renders sql as Raw text for PostgreSQL: a statement whose SQL is exactly sql.
func rendered(t *testing.T, sql string) string {
	t.Helper()
	s, _, err := Render(dialect.Postgres, Raw[int](sql))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestInternReturnsTheSameStringForTheSameText(t *testing.T) {
	a := rendered(t, "SELECT 1 AS interned_a")
	b := rendered(t, "SELECT 1 AS interned_a")
	if a != b || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatalf("two renders of one text share no storage: %q at %p, %q at %p",
			a, unsafe.StringData(a), b, unsafe.StringData(b))
	}
	if allocs := testing.AllocsPerRun(100, func() { internSQL([]byte("SELECT 1 AS interned_a")) }); allocs > 1 {
		// One: the []byte conversion of the argument; internSQL itself allocates nothing.
		t.Errorf("a repeated text allocates %.0f times", allocs)
	}
}

// TestInternKeepsEveryTextIntact renders far more distinct texts than the table has slots,
// from several goroutines at once, so that slots are replaced while others read them: every
// render must still return its own text, and earlier results must not change.
func TestInternKeepsEveryTextIntact(t *testing.T) {
	const goroutines, each = 4, 3 * internSets * cacheWays
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			var got []string
			for i := range each {
				want := "SELECT " + strconv.Itoa(i%(internSets*cacheWays/2)) + " -- g" + strconv.Itoa(g%2)
				s, _, err := Render(dialect.Postgres, Raw[int](want))
				if err != nil || s != want {
					errs <- "render of " + want + " gave " + s
					return
				}
				got = append(got, s)
			}
			for i, s := range got {
				if want := "SELECT " + strconv.Itoa(i%(internSets*cacheWays/2)) + " -- g" + strconv.Itoa(g%2); s != want {
					errs <- "earlier result " + want + " changed to " + s
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestInternLeavesLongTextsAndEmptyOnesAlone(t *testing.T) {
	long := "SELECT '" + strings.Repeat("x", internMaxLen) + "'"
	if got := rendered(t, long); got != long {
		t.Fatalf("long text: got %d bytes, want %d", len(got), len(long))
	}
	for _, s := range internedTexts() {
		if s == long {
			t.Fatal("a text over internMaxLen was interned")
		}
	}
	if got := internSQL(nil); got != "" {
		t.Fatalf("empty text: %q", got)
	}
}

// TestDebugIsNotInterned: Debug writes values into the text, and the table must never hold
// values (a password compared in a WHERE clause, say).
func TestDebugIsNotInterned(t *testing.T) {
	secret := "hunter2-" + strconv.Itoa(int(uintptr(unsafe.Pointer(t))))
	_ = Debug(dialect.Postgres, logins.Password.Eq(secret))
	for _, s := range internedTexts() {
		if strings.Contains(s, secret) {
			t.Fatalf("the intern table holds a Debug text with a value: %q", s)
		}
	}
	if s, _, _ := Render(dialect.Postgres, logins.Password.Eq(secret)); strings.Contains(s, secret) {
		t.Fatalf("a bound value reached the SQL text: %q", s)
	}
}

// internedTexts lists the texts the intern table holds.
func internedTexts() []string {
	var texts []string
	for i := range internTexts.sets {
		for j := range internTexts.sets[i] {
			if t := internTexts.sets[i][j].Load(); t != nil {
				texts = append(texts, t.string())
			}
		}
	}
	return texts
}

type loginsTable struct {
	Table
	Password Column[string] `db:"password"`
}

var logins = NewTable[loginsTable]("logins")

// BenchmarkIntern interns a statement's text not seen before (new: what an uncacheable
// statement's first render pays, an allocation holding the text) and one interned before
// (seen: every later render of it). The numbers beside internedText come from here.
func BenchmarkIntern(b *testing.B) {
	base := []byte(`SELECT "id", "name", "email" FROM "users" WHERE "id" = $1 LIMIT `)
	b.Run("new", func(b *testing.B) {
		buf := append(make([]byte, 0, len(base)+20), base...)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			internSQL(strconv.AppendInt(buf[:len(base)], int64(i), 10))
		}
	})
	b.Run("seen", func(b *testing.B) {
		text := strconv.AppendInt(base[:len(base):len(base)], 42, 10)
		internSQL(text)
		b.ReportAllocs()
		for b.Loop() {
			internSQL(text)
		}
	})
}
