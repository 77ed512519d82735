package expr_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

func TestRenderErrors(t *testing.T) {
	if _, _, err := expr.Render(nil, People.ID.Eq(1)); !errors.Is(err, expr.ErrInvalid) {
		t.Errorf("nil dialect: %v", err)
	}
	if _, _, err := expr.Render(dialect.Postgres, nil); !errors.Is(err, expr.ErrInvalid) {
		t.Errorf("nil expression: %v", err)
	}
	var be *expr.BuildError
	_, _, err := expr.Render(dialect.MySQL, People.ID.In())
	if !errors.As(err, &be) || be.Dialect != "mysql" || be.Kind != expr.ErrInvalid {
		t.Errorf("BuildError: %#v", err)
	}
}

// panicky is an Expression from outside the package that panics: Render must turn that into an
// error rather than crash.
type panicky struct{}

func (panicky) WriteSQL(*expr.Writer) { panic("boom") }

func TestRenderRecoversPanics(t *testing.T) {
	_, _, err := expr.Render(dialect.Postgres, expr.Func[int]("f", panicky{}))
	if !errors.Is(err, expr.ErrInternal) || !strings.Contains(err.Error(), "boom") {
		t.Errorf("err = %v", err)
	}
}

// TestRenderShapedRecoversPanics: a statement's walk that panics (a typedsql bug) yields an
// ErrInternal error and nothing else, on a shape's first render (kept) and on an uncacheable
// render, and the writer it used goes back to the pool clean: the next render is whole.
func TestRenderShapedRecoversPanics(t *testing.T) {
	boom := func(w *expr.Writer) {
		w.Text("SELECT ")
		w.Arg(int64(1))
		panic("boom")
	}
	for _, cacheable := range []bool{true, false} {
		var k expr.Shape
		k.For(dialect.Postgres)
		k.Word(7_000_001)
		if !cacheable {
			k.Unknown()
		}
		sql, args, err := expr.Plumbing.RenderShaped(dialect.Postgres, &k, boom)
		if !errors.Is(err, expr.ErrInternal) || !strings.Contains(err.Error(), "boom") || sql != "" || args != nil {
			t.Errorf("cacheable %v: %q %v %v", cacheable, sql, args, err)
		}
		sql, args, err = expr.Render(dialect.Postgres, People.ID.Eq(2))
		if err != nil || sql != `"app"."people"."id" = $1` || !reflect.DeepEqual(args, []any{int64(2)}) {
			t.Errorf("cacheable %v: the render after the panic: %q %v %v", cacheable, sql, args, err)
		}
	}
}

func TestRenderTo(t *testing.T) {
	dst := make([]any, 1, 8)
	dst[0] = "keep"
	sql, args, err := expr.RenderTo(dialect.Postgres, expr.And(People.ID.Eq(1), People.FullName.Eq("x")), dst)
	if err != nil || !reflect.DeepEqual(args, []any{"keep", int64(1), "x"}) {
		t.Fatalf("%s %v %v", sql, args, err)
	}
	// Placeholders count only this rendering's arguments.
	if !strings.Contains(sql, "$1") || !strings.Contains(sql, "$2") {
		t.Errorf("sql = %s", sql)
	}
}

func TestRaw(t *testing.T) {
	sql, args, err := expr.Render(dialect.Postgres, expr.RawCond("a = ? AND b LIKE '??%' AND c = ?", 1, "x"))
	if err != nil || sql != "a = $1 AND b LIKE '?%' AND c = $2" || !reflect.DeepEqual(args, []any{1, "x"}) {
		t.Errorf("%s %v %v", sql, args, err)
	}
}

func TestDebugLiterals(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, "NULL"}, {int8(-3), "-3"}, {uint64(math.MaxUint64), "18446744073709551615"},
		{float32(1.5), "1.5"}, {math.Inf(1), "'+Inf'"}, {"it's", "'it''s'"}, {[]byte("hi"), `'\x6869'`},
	}
	for _, tt := range tests {
		got := expr.Debug(dialect.Postgres, expr.RawCond("?", tt.v))
		if got != tt.want {
			t.Errorf("Debug(%#v) = %s, want %s", tt.v, got, tt.want)
		}
	}
	if got := expr.Debug(dialect.SQLite, expr.RawCond("?", []byte("hi"))); got != "X'6869'" {
		t.Errorf("sqlite bytes: %s", got)
	}
}

func TestWriterCustomDialect(t *testing.T) {
	// A dialect with a quote character of its own falls back to quoting at render time.
	d := bracketDialect{dialect.SQLite}
	sql, _, err := expr.Render(d, People.FullName.Eq("x"))
	if err != nil || sql != `[app].[people].[full_name] = ?` {
		t.Errorf("%s %v", sql, err)
	}
}

type bracketDialect struct{ dialect.Dialect }

func (bracketDialect) AppendIdent(b []byte, name string) []byte {
	return append(append(append(b, '['), name...), ']')
}

func (bracketDialect) Caps() dialect.Capabilities {
	c := dialect.SQLite.Caps()
	c.IdentQuote = '['
	return c
}
