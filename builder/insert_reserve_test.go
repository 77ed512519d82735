package builder_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// TestInsertBuildManyRows: building an INSERT of many rows sizes the text and the arguments
// once for all its rows (the writer's reserveArgs, through expr.Plumbing) and hands the
// arguments over without copying them: a handful of allocations whatever the row count, not
// one per doubling (37 to 40 for these 10,000 rows before). The SQL and arguments are those
// of a statement written row by row.
func TestInsertBuildManyRows(t *testing.T) {
	const n = 10000
	ins := builder.InsertInto(Users).Grow(n)
	for i := range n {
		ins.Values(Users.Name.Set("n"), Users.Active.Set(i%2 == 0), Users.Email.SetNull())
	}
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		sql, args, err := ins.Build(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(args) != 2*n || args[0] != "n" || args[1] != true || args[2*n-1] != false {
			t.Errorf("%s: %d arguments, want %d", d.Name(), len(args), 2*n)
		}
		if want := strings.Count(sql, "NULL"); want != n {
			t.Errorf("%s: %d NULLs in the text, want %d", d.Name(), want, n)
		}
		// The same rows through a writer that reserves nothing: the same text and arguments.
		sql2, args2, err := expr.Render(d, ins)
		if err != nil || sql2 != sql || !reflect.DeepEqual(args2, args) {
			t.Errorf("%s: Build and Render differ (%v)", d.Name(), err)
		}
		// A new pooled writer (3: the pool keeps no writer this large), the arguments, the
		// text, the SQL string: 6, and slack for the race detector, under which sync.Pool
		// drops objects at random; far from the 37 to 40 of growing step by step.
		if a := testing.AllocsPerRun(5, func() { ins.Build(d) }); a > 12 {
			t.Errorf("%s: Build of %d rows: %v allocations, want at most 12", d.Name(), n, a)
		}
	}
}

// reserving is a list of values that reserves room for more arguments than it writes, or
// fewer, to show ReserveArgs is only a hint.
type reserving struct {
	reserve int
	vals    []any
}

func (r reserving) WriteSQL(w *expr.Writer) {
	builder.ReserveArgs(w, r.reserve)
	for i, v := range r.vals {
		if i > 0 {
			w.Text(", ")
		}
		w.Arg(v)
	}
}

// TestWriterReserveArgs: reserving changes no text and no argument, whether it reserves more
// or fewer than follow, in the caller's storage (RenderTo) or not, and in DebugSQL.
func TestWriterReserveArgs(t *testing.T) {
	vals := make([]any, 100)
	for i := range vals {
		vals[i] = i
	}
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		want, wantArgs, err := expr.Render(d, reserving{0, vals})
		if err != nil {
			t.Fatal(err)
		}
		for _, reserve := range []int{-1, 1, 50, 100, 1000, 1 << 40} {
			r := reserving{reserve, vals}
			got, args, err := expr.Render(d, r)
			if err != nil || got != want || !reflect.DeepEqual(args, wantArgs) {
				t.Errorf("%s, reserve %d: %q %v %v", d.Name(), reserve, got, args, err)
			}
			got, args, err = expr.RenderTo(d, r, make([]any, 0, 8))
			if err != nil || got != want || !reflect.DeepEqual(args, wantArgs) {
				t.Errorf("%s, reserve %d, caller's storage: %q %v %v", d.Name(), reserve, got, args, err)
			}
			if dbg := expr.Debug(d, r); dbg != expr.Debug(d, reserving{0, vals}) {
				t.Errorf("%s, reserve %d: debug %q", d.Name(), reserve, dbg)
			}
		}
	}
}
