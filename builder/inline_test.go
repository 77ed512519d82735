package builder_test

import (
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// A SELECT keeps its lists in inline arrays until they outgrow them, then moves them to the
// heap. These cases add past every array's size, in one call and across calls (the move
// happening in the middle), and check nothing is lost, reordered or duplicated.
func TestSelectListsOutgrowInlineStorage(t *testing.T) {
	const want = `SELECT "u"."id", "u"."name", "u"."email", "u"."active", "u"."visits", "u"."created_at", "u"."id"` +
		` FROM "users" AS "u" LEFT JOIN "orders" AS "o" ON "o"."user_id" = "u"."id"` +
		` INNER JOIN "orders" AS "o2" ON "o2"."user_id" = "u"."id"` +
		` WHERE "u"."id" > $1 AND "u"."id" < $2 AND "u"."visits" > $3 AND "u"."active" = $4 AND "u"."name" <> $5` +
		` GROUP BY "u"."id", "u"."name", "u"."email", "u"."active", "u"."visits"` +
		` HAVING COUNT("o"."id") > $6 AND COUNT("o2"."id") < $7` +
		` ORDER BY "u"."name" ASC, "u"."id" DESC, "u"."visits" ASC`
	o2 := expr.As(Orders, "o2")
	oneCall := builder.Select(u.ID, u.Name, u.Email, u.Active, u.Visits, u.CreatedAt, u.ID).From(u).
		LeftJoin(o, o.UserID.EqExpr(u.ID)).Join(o2, o2.UserID.EqExpr(u.ID)).
		Where(u.ID.Gt(1), u.ID.Lt(100), u.Visits.Gt(2), u.Active.Eq(true), u.Name.Ne("x")).
		GroupBy(u.ID, u.Name, u.Email, u.Active, u.Visits).
		Having(expr.Count(o.ID).Gt(3), expr.Count(o2.ID).Lt(9)).
		OrderBy(u.Name.Asc(), u.ID.Desc(), u.Visits.Asc())
	manyCalls := builder.Select(u.ID, u.Name).Columns(u.Email).Columns(u.Active, u.Visits).Columns(u.CreatedAt, u.ID).From(u).
		LeftJoin(o, o.UserID.EqExpr(u.ID)).Join(o2, o2.UserID.EqExpr(u.ID)).
		Where(u.ID.Gt(1)).Where(u.ID.Lt(100), u.Visits.Gt(2)).Where(u.Active.Eq(true)).Where(u.Name.Ne("x")).
		GroupBy(u.ID).GroupBy(u.Name, u.Email).GroupBy(u.Active).GroupBy(u.Visits).
		Having(expr.Count(o.ID).Gt(3)).Having(expr.Count(o2.ID).Lt(9)).
		OrderBy(u.Name.Asc()).OrderBy(u.ID.Desc(), u.Visits.Asc())
	for name, s := range map[string]*builder.SelectStmt{"one call": oneCall, "many calls": manyCalls} {
		sql, args, err := s.Build(dialect.Postgres)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sql != want {
			t.Errorf("%s:\ngot  %s\nwant %s", name, sql, want)
		}
		wantArgs := []any{int64(1), int64(100), int32(2), true, "x", int64(3), int64(9)}
		if len(args) != len(wantArgs) {
			t.Fatalf("%s: args %v, want %v", name, args, wantArgs)
		}
		for i := range args {
			if args[i] != wantArgs[i] {
				t.Errorf("%s: arg %d = %#v, want %#v", name, i, args[i], wantArgs[i])
			}
		}
		// Rendering again gives the same result: the lists are read, never consumed.
		if again, _, _ := s.Build(dialect.Postgres); again != sql {
			t.Errorf("%s: second Build differs:\n%s", name, again)
		}
	}
}
