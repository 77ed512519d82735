package bench

import (
	"context"

	"github.com/stephenafamo/bob"
	"github.com/stephenafamo/bob/dialect/psql"
	"github.com/stephenafamo/bob/dialect/psql/im"
	"github.com/stephenafamo/bob/dialect/psql/sm"
	"github.com/stephenafamo/bob/dialect/psql/um"
)

// stephenafamo/bob: query mods (sm, im, um) for the clauses, psql.Quote for identifiers,
// psql.Arg for bound values, bob.Build for the text and arguments.
var bobRender = renderer{name: "bob", normalise: "parentheses around conditions and the IN list", q: [6]renderFunc{
	func(int) (string, []any, error) {
		return bob.Build(context.Background(), psql.Select(
			sm.Columns(psql.Quote("id"), psql.Quote("name"), psql.Quote("email")),
			sm.From(psql.Quote("users")),
			sm.Where(psql.Quote("id").EQ(psql.Arg(benchID))),
		))
	},
	func(int) (string, []any, error) {
		count := psql.F("COUNT", psql.Quote("o", "id"))()
		return bob.Build(context.Background(), psql.Select(
			sm.Columns(psql.Quote("u", "id"), psql.Quote("u", "name"), count),
			sm.From(psql.Quote("users")).As("u"),
			sm.LeftJoin(psql.Quote("orders")).As("o").On(psql.Quote("o", "user_id").EQ(psql.Quote("u", "id"))),
			sm.Where(psql.Quote("u", "active").EQ(psql.Arg(benchActive))),
			sm.Where(psql.Quote("u", "created_at").GT(psql.Arg(benchTime))),
			sm.Where(psql.Quote("u", "name").Like(psql.Arg(benchPattern))),
			sm.GroupBy(psql.Quote("u", "id")), sm.GroupBy(psql.Quote("u", "name")),
			sm.Having(count.GT(psql.Arg(benchMin))),
			sm.OrderBy(psql.Quote("u", "name")).Desc(),
			sm.Limit(20), sm.Offset(40),
		))
	},
	func(int) (string, []any, error) {
		return bob.Build(context.Background(), psql.Insert(
			im.Into(psql.Quote("users"), "name", "email", "active"),
			im.Values(psql.Arg(benchName, benchEmail, benchActive)),
			im.Returning(psql.Quote("id")),
		))
	},
	func(int) (string, []any, error) {
		return bob.Build(context.Background(), psql.Update(
			um.Table(psql.Quote("users")),
			um.SetCol("name").ToArg(benchName), um.SetCol("email").ToArg(benchEmail),
			um.Where(psql.Quote("id").EQ(psql.Arg(benchID))),
		))
	},
	func(int) (string, []any, error) {
		ids := make([]any, len(benchIDs))
		for i, id := range benchIDs {
			ids[i] = id
		}
		return bob.Build(context.Background(), psql.Select(
			sm.Columns(psql.Quote("id")),
			sm.From(psql.Quote("users")),
			sm.Where(psql.Quote("id").In(psql.Arg(ids...))),
		))
	},
	func(n int) (string, []any, error) {
		return bob.Build(context.Background(), psql.Select(
			sm.Columns(psql.Quote("id"), psql.Quote("name"), psql.Quote("email")),
			sm.From(psql.Quote("users")),
			sm.Where(psql.Quote("active").EQ(psql.Arg(benchActive))),
			sm.Where(psql.Quote("name").Like(psql.Arg(benchPattern))),
			sm.Where(psql.Quote("visits").GTE(psql.Arg(benchVisits))),
			sm.OrderBy(psql.Quote("created_at")).Desc(),
			sm.Limit(n),
		))
	},
}}
