package expr_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

type itemAttrs struct {
	Color string `json:"color"`
	Size  int    `json:"size"`
}

type itemsTable struct {
	expr.Table
	ID    expr.Column[int64]   `db:"id"`
	Attrs expr.JSON[itemAttrs] `db:"attrs"`
}

var items = expr.NewTable[itemsTable]("items")

// TestJSONPathPerDialect: each engine takes a scalar out of a document its own way, the keys
// always bound.
func TestJSONPathPerDialect(t *testing.T) {
	for _, c := range []struct {
		d    dialect.Dialect
		sql  string
		args []any
	}{
		{dialect.Postgres, `(CAST(("items"."attrs" #>> CAST(ARRAY[$1, $2] AS TEXT[])) AS BIGINT) > $3 AND ("items"."attrs" #>> CAST(ARRAY[$4] AS TEXT[])) = $5)`,
			[]any{"dims", "size", int64(3), "color", "red"}},
		{dialect.MySQL, "(CAST(JSON_UNQUOTE(JSON_EXTRACT(`items`.`attrs`, ?)) AS SIGNED) > ? AND JSON_UNQUOTE(JSON_EXTRACT(`items`.`attrs`, ?)) = ?)",
			[]any{`$."dims"."size"`, int64(3), `$."color"`, "red"}},
		{dialect.MariaDB, "(CAST(JSON_VALUE(`items`.`attrs`, ?) AS SIGNED) > ? AND JSON_VALUE(`items`.`attrs`, ?) = ?)",
			[]any{`$."dims"."size"`, int64(3), `$."color"`, "red"}},
		{dialect.SQLite, `(CAST(json_extract("items"."attrs", ?) AS INTEGER) > ? AND CAST(json_extract("items"."attrs", ?) AS TEXT) = ?)`,
			[]any{`$."dims"."size"`, int64(3), `$."color"`, "red"}},
	} {
		sql, args, err := expr.Render(c.d, expr.And(items.Attrs.Int("dims", "size").Gt(3), items.Attrs.Text("color").Eq("red")))
		if err != nil || sql != c.sql || !reflect.DeepEqual(args, c.args) {
			t.Errorf("%s:\n got %s %v %v\nwant %s %v", c.d.Name(), sql, args, err, c.sql, c.args)
		}
	}
	sql, _, err := expr.Render(dialect.Postgres, items.Attrs.Float("weight"))
	if err != nil || sql != `CAST(("items"."attrs" #>> CAST(ARRAY[$1] AS TEXT[])) AS DOUBLE PRECISION)` {
		t.Errorf("Float: %s %v", sql, err)
	}
}

// TestJSONSetMarshals: Set binds the value's JSON text; a value encoding/json refuses is a
// build error naming the column, and so is a path without keys or with a key no path syntax
// of every engine can hold.
func TestJSONSetMarshals(t *testing.T) {
	_, args, err := expr.Render(dialect.SQLite, expr.Func[int]("f", assignValue(items.Attrs.Set(itemAttrs{Color: "red", Size: 2}))))
	if err != nil || !reflect.DeepEqual(args, []any{`{"color":"red","size":2}`}) {
		t.Errorf("Set: %v %v", args, err)
	}
	type odd struct{ C chan int }
	type oddTable struct {
		expr.Table
		Doc expr.JSON[odd] `db:"doc"`
	}
	bad := expr.NewTable[oddTable]("odd")
	_, _, err = expr.Render(dialect.SQLite, expr.Func[int]("f", assignValue(bad.Doc.Set(odd{}))))
	if !errors.Is(err, expr.ErrInvalid) || !strings.Contains(err.Error(), `JSON column "doc"`) {
		t.Errorf("unmarshalable value: %v", err)
	}
	for _, x := range []expr.Expression{items.Attrs.Text(), items.Attrs.Text(`a"b`)} {
		if _, _, err := expr.Render(dialect.MariaDB, x); !errors.Is(err, expr.ErrInvalid) {
			t.Errorf("bad path: %v", err)
		}
	}
	if got := items.Attrs.GoType(); got != reflect.TypeFor[[]byte]() && got.String() != "json.RawMessage" {
		t.Errorf("GoType = %v", got)
	}
}

// assignValue is an assignment's value as an expression, to render it alone.
type assignValue expr.Assignment

func (a assignValue) WriteSQL(w *expr.Writer) { expr.Plumbing.WriteValue(w, expr.Assignment(a)) }
