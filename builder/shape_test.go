package builder_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// TestShapeCacheServesEveryStatementItsOwnSQL renders the whole golden corpus, every case for
// every dialect, three times over through Build, which serves known shapes from the shape
// cache (see expr.Shape), and compares each result, SQL and arguments, with expr.Render,
// which always renders afresh. The first round is each case's first render (cold), the later
// rounds are served from the cache (warm). Two different statements that the cache took for
// the same shape would get each other's SQL here. This test, not a switch in the expr
// package, is what holds the cache to the writer.
func TestShapeCacheServesEveryStatementItsOwnSQL(t *testing.T) {
	var cases []goldenCase
	for _, list := range [][]goldenCase{selectCases(), setOperationsCases(), expressionsCases(),
		insertCases(), updateCases(), deleteCases(), errorsCases(), shapeCases()} {
		cases = append(cases, list...)
	}
	for round := range 3 {
		for _, c := range cases {
			for _, d := range goldenDialects {
				want := renderFresh(c.stmt, d)
				if got := render(c.stmt, d); got != want {
					t.Fatalf("round %d, %s for %s: Build gave\n%swhere a fresh rendering gives\n%s",
						round, c.name, d.Name(), got, want)
				}
			}
		}
	}
}

// renderFresh is render through expr.Render, which has no cache.
func renderFresh(s builder.Statement, d dialect.Dialect) string {
	return render(freshStatement{s}, d)
}

type freshStatement struct{ builder.Statement }

func (f freshStatement) Build(d dialect.Dialect) (string, []any, error) { return expr.Render(d, f) }

// shapeCases are statements that differ from one another in one part of their shape each,
// for the test above: each must be told apart from its neighbours.
func shapeCases() []goldenCase {
	id := Users.ID.Eq(1)
	return []goldenCase{
		{"shape base", builder.Select(Users.ID).From(Users).Where(id)},
		{"shape distinct", builder.SelectDistinct(Users.ID).From(Users).Where(id)},
		{"shape other column", builder.Select(Users.Name).From(Users).Where(id)},
		{"shape aliased table", builder.Select(u.ID).From(u).Where(u.ID.Eq(1))},
		{"shape no where", builder.Select(Users.ID).From(Users)},
		{"shape no from", builder.Select(expr.CountAll())},
		{"shape ne", builder.Select(Users.ID).From(Users).Where(Users.ID.Ne(1))},
		{"shape two conds", builder.Select(Users.ID).From(Users).Where(id, Users.Name.Eq("a"))},
		{"shape and", builder.Select(Users.ID).From(Users).Where(expr.And(id, Users.Name.Eq("a")))},
		{"shape or", builder.Select(Users.ID).From(Users).Where(expr.Or(id, Users.Name.Eq("a")))},
		{"shape not", builder.Select(Users.ID).From(Users).Where(expr.Not(id))},
		{"shape in 2", builder.Select(Users.ID).From(Users).Where(Users.ID.In(1, 2))},
		{"shape in 3", builder.Select(Users.ID).From(Users).Where(Users.ID.In(1, 2, 3))},
		{"shape not in 3", builder.Select(Users.ID).From(Users).Where(Users.ID.NotIn(1, 2, 3))},
		{"shape between", builder.Select(Users.ID).From(Users).Where(Users.ID.Between(1, 2))},
		{"shape is null", builder.Select(Users.ID).From(Users).Where(Users.Email.IsNull())},
		{"shape ilike", builder.Select(Users.ID).From(Users).Where(expr.ILike(Users.Name, "a%"))},
		{"shape count", builder.Select(expr.Count(Users.ID)).From(Users)},
		{"shape count distinct", builder.Select(expr.CountDistinct(Users.ID)).From(Users)},
		{"shape max", builder.Select(expr.Max(Users.ID)).From(Users)},
		{"shape count alias column", builder.Select(expr.Count(u.ID)).From(u)},
		{"shape left join", builder.Select(u.ID).From(u).LeftJoin(o, o.UserID.EqExpr(u.ID))},
		{"shape inner join", builder.Select(u.ID).From(u).Join(o, o.UserID.EqExpr(u.ID))},
		{"shape cross join", builder.Select(u.ID).From(u).CrossJoin(o)},
		{"shape group", builder.Select(Users.ID).From(Users).GroupBy(Users.ID)},
		{"shape group having", builder.Select(Users.ID).From(Users).GroupBy(Users.ID).Having(expr.Count(Users.ID).Gt(1))},
		{"shape order asc", builder.Select(Users.ID).From(Users).OrderBy(Users.ID.Asc())},
		{"shape order desc", builder.Select(Users.ID).From(Users).OrderBy(Users.ID.Desc())},
		{"shape order nulls first", builder.Select(Users.ID).From(Users).OrderBy(Users.ID.Desc().NullsFirst())},
		{"shape limit 10", builder.Select(Users.ID).From(Users).Limit(10)},
		{"shape limit 11", builder.Select(Users.ID).From(Users).Limit(11)},
		{"shape limit 2^32+10", builder.Select(Users.ID).From(Users).Limit(1<<32 + 10)}, // not a 32-bit word
		{"shape order no group", builder.Select(Users.ID).From(Users).OrderBy(Users.ID.Asc())},
		{"shape group no order", builder.Select(Users.ID).From(Users).GroupBy(Users.ID)},
		{"shape offset 10", builder.Select(Users.ID).From(Users).Offset(10)},
		{"shape limit offset", builder.Select(Users.ID).From(Users).Limit(10).Offset(10)},
		{"shape for update", builder.Select(Users.ID).From(Users).ForUpdate()},
		{"shape for share", builder.Select(Users.ID).From(Users).ForShare()},
		{"shape for update skip locked", builder.Select(Users.ID).From(Users).ForUpdate().SkipLocked()},
		{"shape null value", builder.Select(Users.ID).From(Users).Where(Users.Email.Eq("x"), Users.ID.EqExpr(expr.Null[int64]()))},
		{"shape select null", builder.Select(expr.Null[int64]()).From(Users)},
		{"shape insert", builder.InsertInto(Users).Values(Users.Name.Set("a"))},
		{"shape insert other column", builder.InsertInto(Users).Values(Users.Email.Set("a"))},
		{"shape insert two columns", builder.InsertInto(Users).Values(Users.Name.Set("a"), Users.Email.Set("a"))},
		{"shape insert two rows", builder.InsertInto(Users).Values(Users.Name.Set("a")).Values(Users.Name.Set("b"))},
		{"shape insert null", builder.InsertInto(Users).Values(Users.Name.Set("a"), Users.Email.SetNull())},
		{"shape insert default", builder.InsertInto(Users).Values(Users.Name.SetDefault())},
		{"shape insert returning", builder.InsertInto(Users).Values(Users.Name.Set("a")).Returning(Users.ID)},
		{"shape insert ignore", builder.InsertInto(Users).Values(Users.Name.Set("a")).Ignore()},
		{"shape insert default values", builder.InsertInto(Users).DefaultValues()},
		{"shape insert alias", builder.InsertInto(u).Values(u.Name.Set("a"))},
		{"shape insert wrong table", builder.InsertInto(Users).Values(o.UserID.Set(1))},
		{"shape update", builder.Update(Users).Set(Users.Name.Set("a"))},
		{"shape update where", builder.Update(Users).Set(Users.Name.Set("a")).Where(id)},
		{"shape update two", builder.Update(Users).Set(Users.Name.Set("a"), Users.Email.Set("b")).Where(id)},
		{"shape update expr", builder.Update(Users).Set(Users.Visits.SetExpr(Users.Visits)).Where(id)},
		{"shape update null", builder.Update(Users).Set(Users.Email.SetNull()).Where(id)},
		{"shape update alias", builder.Update(u).Set(u.Name.Set("a")).Where(u.ID.Eq(1))},
		{"shape update twice", builder.Update(Users).Set(Users.Name.Set("a"), Users.Name.Set("b"))},
		{"shape update all rows", builder.Update(Users).Set(Users.Name.Set("a")).AllRows()},
		{"shape update all rows where", builder.Update(Users).Set(Users.Name.Set("a")).AllRows().Where(id)},
		{"shape delete", builder.DeleteFrom(Users)},
		{"shape delete all rows", builder.DeleteFrom(Users).AllRows()},
		{"shape delete where", builder.DeleteFrom(Users).Where(id)},
		{"shape delete other table", builder.DeleteFrom(Orders).Where(Orders.ID.Eq(1))},
		{"shape delete alias", builder.DeleteFrom(u).Where(u.ID.Eq(1))},
		{"shape delete order limit", builder.DeleteFrom(Users).Where(id).OrderBy(Users.ID.Asc()).Limit(5)},
		{"shape delete limit 6", builder.DeleteFrom(Users).Where(id).OrderBy(Users.ID.Asc()).Limit(6)},
		{"shape delete returning", builder.DeleteFrom(Users).Where(id).Returning(Users.ID)},
		{"shape delete returning two", builder.DeleteFrom(Users).Where(id).Returning(Users.ID, Users.Name)},
	}
}

// TestShapeCacheUnderConcurrentUse builds, from several goroutines at once, more distinct
// shapes than the cache has slots (each LIMIT is a shape of its own), so that slots are
// replaced while others read them: every statement must still get its own SQL and arguments.
// Every other goroutine renders for a dialect the cache does not serve, so that first renders
// and uncacheable renders share the pooled writers (under -race, a writer touched after it
// went back to the pool is reported).
func TestShapeCacheUnderConcurrentUse(t *testing.T) {
	const goroutines, shapes = 4, 3000
	var wg sync.WaitGroup
	for g := range goroutines {
		var d dialect.Dialect = dialect.Postgres
		if g%2 == 1 {
			d = wrappedDialect{dialect.Postgres}
		}
		wg.Go(func() {
			for i := range shapes {
				n := int64((i*7 + g*13) % shapes)
				s := builder.Select(Users.ID, Users.Name).From(Users).Where(Users.ID.Eq(n)).Limit(n)
				sql, args, err := s.Build(d)
				want := `SELECT "id", "name" FROM "users" WHERE "id" = $1 LIMIT ` + strconv.FormatInt(n, 10)
				if err != nil || sql != want || len(args) != 1 || args[0] != n {
					t.Errorf("goroutine %d: got %q %v %v, want %q [%d]", g, sql, args, err, want, n)
					return
				}
			}
		})
	}
	wg.Wait()
}
