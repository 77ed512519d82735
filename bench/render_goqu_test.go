package bench

import (
	"github.com/doug-martin/goqu/v9"
	_ "github.com/doug-martin/goqu/v9/dialect/postgres" // registers goqu's "postgres" dialect
)

// doug-martin/goqu: datasets from goqu.Dialect("postgres"), identifiers through goqu.C / goqu.I
// / goqu.T (goqu quotes them), Prepared(true) so that values are bound, not interpolated.
var pgGoqu = goqu.Dialect("postgres")

// goquUserUpdate is the row goqu's UPDATE takes its SET from. goqu writes the columns of a
// struct, as of a goqu.Record, in sorted order: "email" before "name".
type goquUserUpdate struct {
	Name  string `db:"name"`
	Email string `db:"email"`
}

var goquRender = renderer{name: "goqu", bindsLimit: true, normalise: "parentheses around conditions; LIMIT and OFFSET bound as parameters; SET columns in sorted order",
	want: map[string]string{"Q4": `UPDATE "users" SET "email" = $1, "name" = $2 WHERE "id" = $3`}, q: [6]renderFunc{
		func(int) (string, []any, error) {
			return pgGoqu.From("users").Select("id", "name", "email").
				Where(goqu.C("id").Eq(benchID)).Prepared(true).ToSQL()
		},
		func(int) (string, []any, error) {
			count := goqu.COUNT(goqu.I("o.id"))
			return pgGoqu.From(goqu.T("users").As("u")).Select(goqu.I("u.id"), goqu.I("u.name"), count).
				LeftJoin(goqu.T("orders").As("o"), goqu.On(goqu.I("o.user_id").Eq(goqu.I("u.id")))).
				Where(goqu.I("u.active").Eq(goqu.V(benchActive)), goqu.I("u.created_at").Gt(benchTime),
					goqu.I("u.name").Like(benchPattern)).
				GroupBy(goqu.I("u.id"), goqu.I("u.name")).Having(count.Gt(benchMin)).
				Order(goqu.I("u.name").Desc()).Limit(20).Offset(40).Prepared(true).ToSQL()
		},
		func(int) (string, []any, error) {
			return pgGoqu.Insert("users").Cols("name", "email", "active").Vals(goqu.Vals{benchName, benchEmail, benchActive}).
				Returning("id").Prepared(true).ToSQL()
		},
		func(int) (string, []any, error) {
			return pgGoqu.Update("users").Set(goquUserUpdate{Name: benchName, Email: benchEmail}).
				Where(goqu.C("id").Eq(benchID)).Prepared(true).ToSQL()
		},
		func(int) (string, []any, error) {
			return pgGoqu.From("users").Select("id").Where(goqu.C("id").In(benchIDs)).Prepared(true).ToSQL()
		},
		func(n int) (string, []any, error) {
			return pgGoqu.From("users").Select("id", "name", "email").
				Where(goqu.C("active").Eq(goqu.V(benchActive)), goqu.C("name").Like(benchPattern), goqu.C("visits").Gte(benchVisits)).
				Order(goqu.C("created_at").Desc()).Limit(uint(n)).Prepared(true).ToSQL()
		},
	}}
