package schema

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type inUsersTable struct {
	expr.Table `schema:"comment=People who order"`
	ID         expr.Column[int64]    `db:"id" schema:"identity"`
	Email      expr.Column[string]   `db:"email" schema:"unique;size=200"`
	Name       expr.Column[string]   `db:"name" schema:"comment=Shown on invoices;index"`
	Visits     expr.Column[int32]    `db:"visits" schema:"default=0;check=visits >= 0"`
	Bio        expr.Nullable[string] `db:"bio"`
}

type inOrdersTable struct {
	expr.Table `schema:"check=total >= 0"`
	ID         expr.Column[int64]   `db:"id" schema:"identity"`
	UserID     expr.Column[int64]   `db:"user_id" schema:"references=users(id);ondelete=cascade;onupdate=restrict;index"`
	Status     expr.Column[string]  `db:"status" schema:"unique=uq_orders_status_total;default='new'"`
	Total      expr.Column[float64] `db:"total" schema:"unique=uq_orders_status_total"`
}

type inTagsTable struct {
	expr.Table
	OrderID expr.Column[int64]  `db:"order_id" schema:"pk;references=orders(id);ondelete=cascade"`
	Tag     expr.Column[string] `db:"tag" schema:"pk"`
}

// summarize writes what both sides of a table must agree on, in the terms every engine keeps:
// column names, type families, nullability, whether there is a default, declared lengths,
// keys, unique constraints, indexes, foreign keys and their actions, checks, and comments
// where the engine has them. Names of constraints SQLite does not keep are left out there.
func summarize(t Table, d dialect.Dialect, declared *Table) string {
	var b strings.Builder
	caps := d.Caps().DDL
	fmt.Fprintf(&b, "table %s", t.Name)
	if caps.Comments != dialect.CommentNone {
		fmt.Fprintf(&b, " comment %q", t.Comment)
	}
	b.WriteByte('\n')
	for _, c := range t.Columns {
		fam := typeFamily(c.Type)
		fmt.Fprintf(&b, "  %s %s null=%v default=%v", c.Name, fam, c.Nullable, c.Default != "")
		if dc, ok := declared.Column(c.Name); ok {
			if dc.Length > 0 {
				fmt.Fprintf(&b, " len=%d", c.Length)
			}
			if dc.Identity {
				fmt.Fprintf(&b, " identity=%v", c.Identity)
			}
		}
		if caps.Comments != dialect.CommentNone {
			fmt.Fprintf(&b, " comment=%q", c.Comment)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "  pk %v\n", t.PrimaryKey)
	for _, u := range t.Uniques {
		fmt.Fprintf(&b, "  unique %v\n", u.Columns)
	}
	for _, ix := range t.Indexes {
		fmt.Fprintf(&b, "  index %s unique=%v %v where %q\n", ix.Name, ix.Unique, ix.Keys, ix.Where)
	}
	for _, fk := range t.ForeignKeys {
		if fk.OnUpdate == Restrict { // MySQL reads RESTRICT back as NO ACTION, the same action there
			fk.OnUpdate = NoAction
		}
		fmt.Fprintf(&b, "  fk %v -> %s.%s%v delete %q update %q\n", fk.Columns, fk.RefSchema, fk.RefTable, fk.RefColumns, fk.OnDelete, fk.OnUpdate)
	}
	checks := make([]string, len(t.Checks))
	for i, c := range t.Checks {
		checks[i] = c.Name
	}
	slices.Sort(checks)
	fmt.Fprintf(&b, "  %d checks %v\n", len(checks), checks)
	return b.String()
}

// TestInspectRoundTrip: the tables Create makes read back, on each engine, as the model
// Describe gave for them.
func TestInspectRoundTrip(t *testing.T) {
	users := expr.NewTable[inUsersTable]("users")
	orders := expr.NewTable[inOrdersTable]("orders")
	tags := expr.NewTable[inTagsTable]("order_tags")
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := openDB(t, tdb)
		d := db.Dialect()
		if err := Create(ctx, db, users, orders, tags); err != nil {
			t.Fatal(err)
		}
		declared, err := Describe(d, users, orders, tags)
		if err != nil {
			t.Fatal(err)
		}
		for i := range declared {
			live, err := Inspect(ctx, db, "", declared[i].Name)
			if err != nil {
				t.Fatal(err)
			}
			want, got := summarize(declared[i], d, &declared[i]), summarize(live, d, &declared[i])
			if got != want {
				t.Errorf("%s read back:\n%s\nwant:\n%s\nfull: %+v", declared[i].Name, got, want, live)
			}
			if d.Caps().DDL.Catalog != dialect.CatalogPragma { // SQLite keeps no constraint names
				if !namesMatch(declared[i], live) {
					t.Errorf("%s: constraint names differ:\n%+v\n%+v", declared[i].Name, declared[i], live)
				}
			}
		}
		if _, err := Inspect(ctx, db, "", "nope"); !isNoTable(err) {
			t.Errorf("Inspect of a missing table: %v", err)
		}
	})
}

func namesMatch(a, b Table) bool {
	names := func(t Table) []string {
		var out []string
		for _, u := range t.Uniques {
			out = append(out, "u:"+u.Name)
		}
		for _, fk := range t.ForeignKeys {
			out = append(out, "f:"+fk.Name)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(names(a), names(b))
}

func isNoTable(err error) bool { return errors.Is(err, ErrNoTable) }

func openDB(t *testing.T, tdb *testcontainers.Database) *conn.DB {
	t.Helper()
	db, err := conn.Open(context.Background(), tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func exec(t *testing.T, db *conn.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(context.Background(), conn.SQL(s)); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
