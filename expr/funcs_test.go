package expr_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// bareEngine is a dialect that knows none of the functions that differ per engine and has no
// row values, as a new engine's dialect might start.
type bareEngine struct{ dialect.Dialect }

func (d bareEngine) Caps() dialect.Capabilities {
	c := d.Dialect.Caps()
	c.Funcs = dialect.FuncForms{}
	c.RowValues = false
	return c
}

// TestFuncsUnsupported: a dialect that cannot spell a function fails to build, naming it,
// rather than writing some other engine's spelling.
func TestFuncsUnsupported(t *testing.T) {
	d := bareEngine{dialect.SQLite}
	for name, e := range map[string]expr.Expression{
		"GREATEST and LEAST": expr.Least(Sales.Total, Sales.Total),
		"LENGTH":             expr.Length(Sales.Sku),
		"DateTrunc":          expr.DateTrunc(expr.Day, Sales.At),
		"DatePart":           expr.DatePart(expr.Day, Sales.At),
		"AddTime":            expr.AddTime(Sales.At, 1, expr.Day),
		"Now":                expr.Now(),
		"FormatTime":         expr.FormatTime(Sales.At, "2006"),
	} {
		_, _, err := expr.Render(d, e)
		if !errors.Is(err, expr.ErrUnsupported) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s on a dialect without it: %v; want ErrUnsupported naming it", name, err)
		}
	}
}

// TestFuncsInvalid: arguments no engine can take fail to build on every dialect.
func TestFuncsInvalid(t *testing.T) {
	for want, e := range map[string]expr.Expression{
		"unknown time unit":         expr.DateTrunc(expr.TimeUnit(99), Sales.At),
		"AddTime with an unknown":   expr.AddTime(Sales.At, 1, expr.TimeUnit(0)),
		"FormatTime with an empty":  expr.FormatTime(Sales.At, ""),
		`has "%"`:                   expr.FormatTime(Sales.At, "%Y"),
		"SUBSTR starts":             expr.Substring(Sales.Sku, 1, -1),
		"keyset condition without":  expr.Before(),
		"zero expr.SortKey":         expr.After(expr.SortKey{}, expr.Key(Sales.ID, 1)),
		"engines number weeks":      expr.DatePart(expr.Week, Sales.At),
		"layout \"2006-01-02 3PM\"": expr.FormatTime(Sales.At, "2006-01-02 3PM"),
	} {
		for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
			_, _, err := expr.Render(d, e)
			if !errors.Is(err, expr.ErrInvalid) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v; want ErrInvalid containing %q", d.Name(), err, want)
			}
		}
	}
}

// TestKeysetSpeltOut: without row values, keys of one direction are compared key by key, and
// the values bound once per use.
func TestKeysetSpeltOut(t *testing.T) {
	c := expr.After(expr.Key(Sales.At, time.Time{}).Desc(), expr.Key(Sales.Sku, "a"), expr.Key(Sales.ID, 7).Desc())
	sql, args, err := expr.Render(bareEngine{dialect.Postgres}, c)
	want := `("sales"."at" < $1 OR ("sales"."at" = $2 AND ("sales"."sku" > $3 OR ("sales"."sku" = $4 AND "sales"."id" < $5))))`
	if err != nil || sql != want || len(args) != 5 {
		t.Errorf("got %s %v %v\nwant %s", sql, args, err, want)
	}
	same := expr.Before(expr.Key(Sales.ID, 7), expr.Key(Sales.Sku, "a"))
	sql, _, _ = expr.Render(bareEngine{dialect.Postgres}, same)
	if want := `("sales"."id" < $1 OR ("sales"."id" = $2 AND "sales"."sku" < $3))`; sql != want {
		t.Errorf("got %s\nwant %s", sql, want)
	}
	sql, _, _ = expr.Render(dialect.Postgres, same)
	if want := `("sales"."id", "sales"."sku") < ($1, $2)`; sql != want {
		t.Errorf("got %s\nwant %s", sql, want)
	}
}
