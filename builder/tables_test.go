package builder_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

func TestTables(t *testing.T) {
	sub := builder.SelectOne(Orders.UserID).From(Orders)
	cte := builder.CTE(Totals, builder.Select(Orders.UserID, expr.Sum(Orders.Total)).From(Orders).GroupBy(Orders.UserID))
	tests := []struct {
		name string
		stmt builder.Statement
		want []string
	}{
		{"select", builder.Select(Users.ID).From(Users), []string{"users"}},
		{"no from", builder.Select(expr.Val(1)), nil},
		{"join and alias", builder.Select(u.ID).From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)), []string{"users", "orders"}},
		{"self join once", builder.Select(u.ID).From(u).Join(Users, Users.ID.EqExpr(u.ID)), []string{"users"}},
		{"schema", builder.Select(Archive.ID).From(Archive), []string{"old.archive"}},
		{"where subquery", builder.Select(Users.ID).From(Users).Where(Users.ID.InQuery(sub)), []string{"users", "orders"}},
		{"exists", builder.Select(Users.ID).From(Users).Where(expr.Exists(builder.Select(Archive.ID).From(Archive))), []string{"users", "old.archive"}},
		{"scalar subquery", builder.Select(expr.Subquery(sub)), []string{"orders"}},
		{"derived", builder.Select(Totals.Sum).From(expr.FromQuery(Totals, builder.Select(Orders.UserID).From(Orders))), []string{"orders"}},
		{"cte is not a table", builder.Select(Totals.Sum).From(Totals).With(cte), []string{"orders"}},
		{"set operation", builder.Union(builder.Select(Users.ID).From(Users), builder.Select(Archive.ID).From(Archive)), []string{"users", "old.archive"}},
		{"insert", builder.InsertInto(Users).Values(Users.Name.Set("a")), []string{"users"}},
		{"insert rows", builder.InsertInto(Users).Values(Users.Name.Set("a"), Users.Email.SetNull()).Values(Users.Name.Set("b"), Users.Email.Set("b@x")), []string{"users"}},
		{"insert in schema", builder.InsertInto(Archive).Values(Archive.ID.Set(1)), []string{"old.archive"}},
		{"insert under alias", builder.InsertInto(u).Values(u.Name.Set("a")), []string{"users"}},
		{"insert value subquery", builder.InsertInto(Users).Values(Users.Name.Set("a")).Values(Users.Name.SetExpr(expr.Subquery(builder.SelectOne(Archive.Name).From(Archive)))), []string{"users", "old.archive"}},
		{"insert returning subquery", builder.InsertInto(Users).Values(Users.Name.Set("a")).Returning(expr.Subquery(builder.SelectOne(Orders.UserID).From(Orders))), []string{"users", "orders"}},
		{"insert upsert subquery", builder.InsertInto(Users).Values(Users.Name.Set("a")).OnConflict(Users.ID).DoUpdate(Users.ID.SetExpr(expr.Subquery(builder.SelectOne(Orders.UserID).From(Orders)))), []string{"users", "orders"}},
		{"insert select", builder.InsertInto(Archive).FromSelect(builder.Select().From(Users), Archive.ID.SetExpr(Users.ID)), []string{"old.archive", "users"}},
		{"update from", builder.Update(Users).Set(Users.Visits.Set(1)).From(Orders), []string{"users", "orders"}},
		{"update subquery", builder.Update(Users).Set(Users.Visits.Set(1)).Where(Users.ID.InQuery(sub)), []string{"users", "orders"}},
		{"delete using", builder.DeleteFrom(Orders).Using(Users), []string{"orders", "users"}},
		{"delete with cte", builder.DeleteFrom(Users).Where(Users.ID.InQuery(builder.SelectOne(Totals.UserID).From(Totals))).With(cte), []string{"orders", "users"}},
		{"failing statement still lists", builder.Select(Users.ID).From(Users).Where(Users.ID.In()), []string{"users"}},
	}
	for _, tt := range tests {
		if got := tt.stmt.Tables(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Tables() = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := Archive.TableName(); got != "old.archive" {
		t.Errorf("Archive.TableName() = %q", got)
	}
	if got := u.TableName(); got != "users" {
		t.Errorf("u.TableName() = %q, want the table's name without alias", got)
	}
}

func TestDebugSQL(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	q := builder.Select(Users.ID).From(Users).Where(Users.Name.Eq("o'hara\\"), Users.CreatedAt.Lt(at),
		Users.Active.Eq(true), Users.Visits.In(1, 2), Users.Email.IsNull())
	tests := []struct {
		d    dialect.Dialect
		want string
	}{
		{dialect.Postgres, `SELECT "id" FROM "users" WHERE "name" = 'o''hara\' AND "created_at" < '2024-01-02 03:04:05Z' AND "active" = TRUE AND "visits" IN (1, 2) AND "email" IS NULL`},
		{dialect.MySQL, "SELECT `id` FROM `users` WHERE `name` = 'o''hara\\\\' AND `created_at` < '2024-01-02 03:04:05Z' AND `active` = TRUE AND `visits` IN (1, 2) AND `email` IS NULL"},
	}
	for _, tt := range tests {
		if got := q.DebugSQL(tt.d); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.d.Name(), got, tt.want)
		}
	}
	ins := builder.InsertInto(Orders).Values(Orders.Ref.Set(UUID{0xab}), Orders.Blob.Set([]byte{1, 255}), Orders.Total.Set(1.5), Orders.Note.SetNull())
	want := `INSERT INTO "orders" ("ref", "blob", "total", "note") VALUES ('\xab000000000000000000000000000000', '\x01ff', 1.5, NULL)`
	if got := ins.DebugSQL(dialect.Postgres); got != want {
		t.Errorf("valuer/bytes:\n got %s\nwant %s", got, want)
	}
	if got := builder.Update(Users).DebugSQL(dialect.SQLite); !strings.Contains(got, "UPDATE with no SET") {
		t.Errorf("debug of a failing statement = %q, want its error", got)
	}
}

// TestBuildArgsNotShared: the first Build lends the statement's inline storage to its args; a
// second Build must not write into the slice the first returned.
func TestBuildArgsNotShared(t *testing.T) {
	q := builder.Select(Users.ID).From(Users).Where(Users.Name.Eq("a"), Users.Visits.Eq(1))
	_, first, err := q.Build(dialect.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	q.Where(Users.Email.Eq("c"))
	_, second, _ := q.Build(dialect.Postgres)
	if !reflect.DeepEqual(first, []any{"a", int32(1)}) || !reflect.DeepEqual(second, []any{"a", int32(1), "c"}) {
		t.Fatalf("first %v, second %v", first, second)
	}
	first = append(first, "x") // capacity is length: this must not touch the statement
	_, third, _ := q.Build(dialect.Postgres)
	if !reflect.DeepEqual(third, second) {
		t.Fatalf("third %v", third)
	}
}

// TestConcurrentBuild builds one statement from many goroutines (run with -race).
func TestConcurrentBuild(t *testing.T) {
	q := builder.Select(u.ID, expr.Count(o.ID)).From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).
		Where(u.Name.Eq("x"), u.ID.InQuery(builder.SelectOne(Orders.UserID).From(Orders).Where(Orders.Total.Gt(1.0)))).
		GroupBy(u.ID)
	want, wantArgs, err := q.Build(dialect.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL} {
					sql, args, err := q.Build(d)
					if err != nil || (d == dialect.Postgres && (sql != want || !reflect.DeepEqual(args, wantArgs))) {
						t.Errorf("concurrent Build: %q %v %v", sql, args, err)
						return
					}
				}
				_ = q.Tables()
			}
		})
	}
	wg.Wait()
}

func TestBuildNilDialect(t *testing.T) {
	_, _, err := builder.Select(Users.ID).Build(nil)
	if err == nil || !strings.Contains(err.Error(), "no dialect") {
		t.Fatalf("err = %v", err)
	}
}

// TestInsertTablesNoRender: an INSERT of plain rows lists its table without rendering them:
// one allocation (the result), whatever the row count. CopyFrom and routing call Tables on
// statements of 100,000 rows.
func TestInsertTablesNoRender(t *testing.T) {
	ins := builder.InsertInto(Users)
	for i := range 10000 {
		ins.Values(Users.ID.Set(int64(i)), Users.Name.Set("n"), Users.Email.SetNull(), Users.Visits.SetDefault())
	}
	if a := testing.AllocsPerRun(10, func() { ins.Tables() }); a > 1 {
		t.Errorf("Tables of a 10,000-row INSERT: %v allocations, want 1", a)
	}
	if got := ins.Tables(); !reflect.DeepEqual(got, []string{"users"}) {
		t.Errorf("Tables() = %q", got)
	}
}
