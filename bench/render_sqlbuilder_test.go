package bench

import (
	"github.com/huandu/go-sqlbuilder"
)

// huandu/go-sqlbuilder: a builder per statement, strings for identifiers (quoted here by
// hand), the builder's own methods (Equal, GreaterThan, Like, In) for conditions, the
// PostgreSQL flavor for $n placeholders.
var sqlbuilderRender = renderer{name: "sqlbuilder", bindsLimit: true, normalise: "LIMIT and OFFSET bound as parameters", q: [6]renderFunc{
	func(int) (string, []any, error) {
		sb := sqlbuilder.PostgreSQL.NewSelectBuilder()
		sb.Select(`"id"`, `"name"`, `"email"`).From(`"users"`).Where(sb.Equal(`"id"`, benchID))
		s, args := sb.Build()
		return s, args, nil
	},
	func(int) (string, []any, error) {
		sb := sqlbuilder.PostgreSQL.NewSelectBuilder()
		sb.Select(`"u"."id"`, `"u"."name"`, `COUNT("o"."id")`).From(`"users" AS "u"`).
			JoinWithOption(sqlbuilder.LeftJoin, `"orders" AS "o"`, `"o"."user_id" = "u"."id"`).
			Where(sb.Equal(`"u"."active"`, benchActive), sb.GreaterThan(`"u"."created_at"`, benchTime),
				sb.Like(`"u"."name"`, benchPattern)).
			GroupBy(`"u"."id"`, `"u"."name"`).Having(sb.GreaterThan(`COUNT("o"."id")`, benchMin)).
			OrderBy(`"u"."name"`).Desc().Limit(20).Offset(40)
		s, args := sb.Build()
		return s, args, nil
	},
	func(int) (string, []any, error) {
		ib := sqlbuilder.PostgreSQL.NewInsertBuilder()
		ib.InsertInto(`"users"`).Cols(`"name"`, `"email"`, `"active"`).
			Values(benchName, benchEmail, benchActive).Returning(`"id"`)
		s, args := ib.Build()
		return s, args, nil
	},
	func(int) (string, []any, error) {
		ub := sqlbuilder.PostgreSQL.NewUpdateBuilder()
		ub.Update(`"users"`).Set(ub.Assign(`"name"`, benchName), ub.Assign(`"email"`, benchEmail)).
			Where(ub.Equal(`"id"`, benchID))
		s, args := ub.Build()
		return s, args, nil
	},
	func(int) (string, []any, error) {
		sb := sqlbuilder.PostgreSQL.NewSelectBuilder()
		sb.Select(`"id"`).From(`"users"`).Where(sb.In(`"id"`, sqlbuilder.Flatten(benchIDs)...))
		s, args := sb.Build()
		return s, args, nil
	},
	func(n int) (string, []any, error) {
		sb := sqlbuilder.PostgreSQL.NewSelectBuilder()
		sb.Select(`"id"`, `"name"`, `"email"`).From(`"users"`).
			Where(sb.Equal(`"active"`, benchActive), sb.Like(`"name"`, benchPattern), sb.GreaterEqualThan(`"visits"`, benchVisits)).
			OrderBy(`"created_at"`).Desc().Limit(n)
		s, args := sb.Build()
		return s, args, nil
	},
}}
