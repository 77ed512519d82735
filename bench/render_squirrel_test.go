package bench

import (
	sq "github.com/Masterminds/squirrel"
)

// Masterminds/squirrel: strings for identifiers and clauses (quoted here by hand, so the text
// is typedsql's), Eq/Gt/Like maps for conditions, PlaceholderFormat(Dollar) for PostgreSQL.
var psq = sq.StatementBuilder.PlaceholderFormat(sq.Dollar)

var squirrelRender = renderer{name: "squirrel", normalise: "parentheses around each WHERE/HAVING condition", q: [6]renderFunc{
	func(int) (string, []any, error) {
		return psq.Select(`"id"`, `"name"`, `"email"`).From(`"users"`).Where(sq.Eq{`"id"`: benchID}).ToSql()
	},
	func(int) (string, []any, error) {
		return psq.Select(`"u"."id"`, `"u"."name"`, `COUNT("o"."id")`).
			From(`"users" AS "u"`).LeftJoin(`"orders" AS "o" ON "o"."user_id" = "u"."id"`).
			Where(sq.Eq{`"u"."active"`: benchActive}).Where(sq.Gt{`"u"."created_at"`: benchTime}).
			Where(sq.Like{`"u"."name"`: benchPattern}).
			GroupBy(`"u"."id"`, `"u"."name"`).Having(sq.Gt{`COUNT("o"."id")`: benchMin}).
			OrderBy(`"u"."name" DESC`).Limit(20).Offset(40).ToSql()
	},
	func(int) (string, []any, error) {
		return psq.Insert(`"users"`).Columns(`"name"`, `"email"`, `"active"`).
			Values(benchName, benchEmail, benchActive).Suffix(`RETURNING "id"`).ToSql()
	},
	func(int) (string, []any, error) {
		return psq.Update(`"users"`).Set(`"name"`, benchName).Set(`"email"`, benchEmail).
			Where(sq.Eq{`"id"`: benchID}).ToSql()
	},
	func(int) (string, []any, error) {
		return psq.Select(`"id"`).From(`"users"`).Where(sq.Eq{`"id"`: benchIDs}).ToSql()
	},
	func(n int) (string, []any, error) {
		return psq.Select(`"id"`, `"name"`, `"email"`).From(`"users"`).
			Where(sq.Eq{`"active"`: benchActive}).Where(sq.Like{`"name"`: benchPattern}).
			Where(sq.GtOrEq{`"visits"`: benchVisits}).
			OrderBy(`"created_at" DESC`).Limit(uint64(n)).ToSql()
	},
}}
