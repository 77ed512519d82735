package expr_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

type PeopleTable struct {
	expr.Table
	ID         expr.Column[int64]    `db:"id"`
	FullName   expr.Column[string]   // no tag: full_name
	UserID     expr.Column[int64]    // user_id
	HTTPCode   expr.Column[int]      // http_code
	Nick       expr.Nullable[string] `db:"nick_name"`
	Skipped    expr.Column[bool]     `db:"-"`
	CreatedAt  expr.Column[time.Time]
	NotAColumn string
}

var People = expr.NewTable[PeopleTable]("people", expr.InSchema("app"))

func render(t *testing.T, e expr.Expression) string {
	t.Helper()
	sql, _, err := expr.Render(dialect.Postgres, e)
	if err != nil {
		t.Fatal(err)
	}
	return sql
}

func TestNewTable(t *testing.T) {
	if got, want := People.ColumnNames(), []string{"id", "full_name", "user_id", "http_code", "nick_name", "created_at"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ColumnNames = %q, want %q", got, want)
	}
	if People.TableName() != "app.people" || People.TableAlias() != "" {
		t.Errorf("TableName %q alias %q", People.TableName(), People.TableAlias())
	}
	if got := People.Nick.ColumnName(); got != "nick_name" {
		t.Errorf("Nick.ColumnName = %q", got)
	}
	if got := People.Skipped.ColumnName(); got != "" {
		t.Errorf("skipped field is bound as %q", got)
	}
	// A column of a table that is not the statement's only source is qualified.
	if got := render(t, People.FullName.Eq("x")); got != `"app"."people"."full_name" = $1` {
		t.Errorf("qualified column: %s", got)
	}
}

func TestAs(t *testing.T) {
	p := expr.As(People, "p")
	if p.TableName() != "app.people" || p.TableAlias() != "p" {
		t.Errorf("TableName %q alias %q", p.TableName(), p.TableAlias())
	}
	if got := render(t, p.ID.EqExpr(People.ID)); got != `"p"."id" = "app"."people"."id"` {
		t.Errorf("alias: %s", got)
	}
	if People.TableAlias() != "" || render(t, People.ID.IsNull()) != `"app"."people"."id" IS NULL` {
		t.Error("As modified the original descriptor")
	}
	pp := expr.As(p, "pp")
	if got := render(t, pp.ID.IsNull()); got != `"pp"."id" IS NULL` {
		t.Errorf("alias of alias: %s", got)
	}
	var unbound PeopleTable
	_, _, err := expr.Render(dialect.Postgres, expr.As(&unbound, "x").ID.IsNull())
	if !errors.Is(err, expr.ErrInvalid) || !strings.Contains(err.Error(), "not bound") {
		t.Errorf("As of an unbound table: %v", err)
	}
	_, _, err = expr.Render(dialect.Postgres, expr.As[PeopleTable](nil, "x").ID.IsNull())
	if !errors.Is(err, expr.ErrInvalid) {
		t.Errorf("As of nil: %v", err)
	}
}

type unexportedColumnTable struct {
	expr.Table
	id expr.Column[int64]
}

func TestNewTableErrors(t *testing.T) {
	tbl := expr.NewTable[unexportedColumnTable]("t")
	_, _, err := expr.Render(dialect.SQLite, sourceExpr{tbl})
	if err == nil || !strings.Contains(err.Error(), "not exported") {
		t.Errorf("unexported column field: %v", err)
	}
}

// sourceExpr renders a table as a FROM item.
type sourceExpr struct{ s expr.Source }

func (e sourceExpr) WriteSQL(w *expr.Writer) { expr.Plumbing.WriteSource(w, e.s) }

// TestNamesQuotedByTheDialect: a descriptor's names, quoted when it is declared, are quoted as
// the dialect's own AppendIdent quotes them (a quote character inside a name doubled), for
// both quote characters, in column references, FROM items and aliases.
func TestNamesQuotedByTheDialect(t *testing.T) {
	type oddTable struct {
		expr.Table
		Odd expr.Column[int64] "db:\"a\\\"b`c\""
	}
	odd := expr.NewTable[oddTable]("t\"1`", expr.InSchema("s`\""))
	aliased := expr.As(odd, "x\"`")
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		q := func(name string) string { return string(d.AppendIdent(nil, name)) }
		for _, tt := range []struct {
			e    expr.Expression
			want string
		}{
			{odd.Odd, q("s`\"") + "." + q("t\"1`") + "." + q("a\"b`c")},
			{aliased.Odd, q("x\"`") + "." + q("a\"b`c")},
			{sourceExpr{aliased}, q("s`\"") + "." + q("t\"1`") + " AS " + q("x\"`")},
		} {
			sql, _, err := expr.Render(d, tt.e)
			if err != nil || sql != tt.want {
				t.Errorf("%s: %s %v, want %s", d.Name(), sql, err, tt.want)
			}
		}
	}
}
