package bench

import (
	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

var typedsqlRender = renderer{name: "typedsql", q: [6]renderFunc{
	func(int) (string, []any, error) {
		return builder.Select(Users.ID, Users.Name, Users.Email).From(Users).
			Where(Users.ID.Eq(benchID)).Build(dialect.Postgres)
	},
	func(int) (string, []any, error) {
		u, o := tu, to
		return builder.Select(u.ID, u.Name, expr.Count(o.ID)).
			From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).
			Where(u.Active.Eq(benchActive)).Where(u.CreatedAt.Gt(benchTime)).
			Where(expr.Like(u.Name, benchPattern)).
			GroupBy(u.ID, u.Name).Having(expr.Count(o.ID).Gt(benchMin)).
			OrderBy(u.Name.Desc()).Limit(20).Offset(40).
			Build(dialect.Postgres)
	},
	func(int) (string, []any, error) {
		return builder.InsertInto(Users).
			Values(Users.Name.Set(benchName), Users.Email.Set(benchEmail), Users.Active.Set(benchActive)).
			Returning(Users.ID).Build(dialect.Postgres)
	},
	func(int) (string, []any, error) {
		return builder.Update(Users).
			Set(Users.Name.Set(benchName), Users.Email.Set(benchEmail)).
			Where(Users.ID.Eq(benchID)).Build(dialect.Postgres)
	},
	func(int) (string, []any, error) {
		return builder.Select(Users.ID).From(Users).Where(Users.ID.In(benchIDs...)).Build(dialect.Postgres)
	},
	func(n int) (string, []any, error) {
		return builder.Select(Users.ID, Users.Name, Users.Email).From(Users).
			Where(Users.Active.Eq(benchActive), expr.Like(Users.Name, benchPattern), Users.Visits.Ge(benchVisits)).
			OrderBy(Users.CreatedAt.Desc()).Limit(int64(n)).Build(dialect.Postgres)
	},
}}
