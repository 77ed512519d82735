package bench

import (
	"database/sql"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver bun's DB wraps
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// uptrace/bun: query builders of a *bun.DB, expressions with ? for values, bun.In for a list.
// bun writes values into the SQL text itself (its driver sends no parameters), so what it
// renders is compared with the values inlined, and has no arguments. AppendQuery is what bun
// runs before it sends a query. The DB is never connected: rendering does not need it.
var bunPG = bun.NewDB(func() *sql.DB {
	db, err := sql.Open("pgx", "postgres://127.0.0.1:1/render-only")
	if err != nil {
		panic(err)
	}
	return db
}(), pgdialect.New())

// bunNewUser is the model bun's INSERT takes its table and columns from.
type bunNewUser struct {
	bun.BaseModel `bun:"table:users"`
	Name          string `bun:"name"`
	Email         string `bun:"email"`
	Active        bool   `bun:"active"`
}

func bunSQL(b []byte, err error) (string, []any, error) { return string(b), nil, err }

var bunRender = renderer{name: "bun", inlines: true, normalise: "values written into the text; parentheses around conditions", q: [6]renderFunc{
	func(int) (string, []any, error) {
		return bunSQL(bunPG.NewSelect().ColumnExpr(`"id", "name", "email"`).TableExpr(`"users"`).
			Where(`"id" = ?`, benchID).AppendQuery(bunPG.QueryGen(), nil))
	},
	func(int) (string, []any, error) {
		return bunSQL(bunPG.NewSelect().ColumnExpr(`"u"."id", "u"."name", COUNT("o"."id")`).
			TableExpr(`"users" AS "u"`).Join(`LEFT JOIN "orders" AS "o" ON "o"."user_id" = "u"."id"`).
			Where(`"u"."active" = ?`, benchActive).Where(`"u"."created_at" > ?`, benchTime).
			Where(`"u"."name" LIKE ?`, benchPattern).
			GroupExpr(`"u"."id", "u"."name"`).Having(`COUNT("o"."id") > ?`, benchMin).
			OrderExpr(`"u"."name" DESC`).Limit(20).Offset(40).AppendQuery(bunPG.QueryGen(), nil))
	},
	func(int) (string, []any, error) {
		return bunSQL(bunPG.NewInsert().Model(&bunNewUser{Name: benchName, Email: benchEmail, Active: benchActive}).
			ModelTableExpr(`"users"`).Returning(`"id"`).AppendQuery(bunPG.QueryGen(), nil))
	},
	func(int) (string, []any, error) {
		return bunSQL(bunPG.NewUpdate().TableExpr(`"users"`).Set(`"name" = ?`, benchName).Set(`"email" = ?`, benchEmail).
			Where(`"id" = ?`, benchID).AppendQuery(bunPG.QueryGen(), nil))
	},
	func(int) (string, []any, error) {
		return bunSQL(bunPG.NewSelect().ColumnExpr(`"id"`).TableExpr(`"users"`).
			Where(`"id" IN (?)`, bun.In(benchIDs)).AppendQuery(bunPG.QueryGen(), nil))
	},
	func(n int) (string, []any, error) {
		return bunSQL(bunPG.NewSelect().ColumnExpr(`"id", "name", "email"`).TableExpr(`"users"`).
			Where(`"active" = ?`, benchActive).Where(`"name" LIKE ?`, benchPattern).Where(`"visits" >= ?`, benchVisits).
			OrderExpr(`"created_at" DESC`).Limit(int64(n)).AppendQuery(bunPG.QueryGen(), nil))
	},
}}
