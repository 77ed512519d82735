package builder_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// The five PostgreSQL queries of the rendering benchmark, each built from scratch and rendered
// per iteration, beside a hand-written strings.Builder renderer of the same SQL. The hand
// renderers write exactly the SQL typedsql writes (quoted identifiers, as typedsql always
// quotes), and TestHandRenderersMatch checks that, so the comparison is like for like. Table
// descriptors and aliases (u, o) are declarations, made once, as in an application.

var (
	benchTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	benchIDs  = func() []int64 {
		ids := make([]int64, 100)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		return ids
	}()
)

type renderFunc func() (string, []any, error)

var benchQueries = []struct {
	name        string
	typed, hand renderFunc
}{
	{"Q1", q1Typed, q1Hand},
	{"Q2", q2Typed, q2Hand},
	{"Q3", q3Typed, q3Hand},
	{"Q4", q4Typed, q4Hand},
	{"Q5", q5Typed, q5Hand},
}

// Q1: SELECT id, name, email FROM users WHERE id = $1
func q1Typed() (string, []any, error) {
	return builder.Select(Users.ID, Users.Name, Users.Email).From(Users).
		Where(Users.ID.Eq(42)).Build(dialect.Postgres)
}

func q1Hand() (string, []any, error) {
	var b strings.Builder
	b.Grow(64)
	b.WriteString(`SELECT "id", "name", "email" FROM "users" WHERE "id" = $1`)
	return b.String(), []any{int64(42)}, nil
}

// Q2: SELECT u.id, u.name, count(o.id) FROM users u LEFT JOIN orders o ON o.user_id = u.id
// WHERE u.active = $1 AND u.created_at > $2 AND u.name LIKE $3 GROUP BY u.id, u.name
// HAVING count(o.id) > $4 ORDER BY u.name DESC LIMIT 20 OFFSET 40
func q2Typed() (string, []any, error) {
	return builder.Select(u.ID, u.Name, expr.Count(o.ID)).
		From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).
		Where(u.Active.Eq(true)).Where(u.CreatedAt.Gt(benchTime)).Where(expr.Like(u.Name, "a%")).
		GroupBy(u.ID, u.Name).Having(expr.Count(o.ID).Gt(3)).
		OrderBy(u.Name.Desc()).Limit(20).Offset(40).
		Build(dialect.Postgres)
}

func q2Hand() (string, []any, error) {
	var b strings.Builder
	b.Grow(384)
	args := make([]any, 0, 4)
	b.WriteString(`SELECT "u"."id", "u"."name", COUNT("o"."id") FROM "users" AS "u" LEFT JOIN "orders" AS "o" ON "o"."user_id" = "u"."id" WHERE "u"."active" = $`)
	args = append(args, true)
	b.WriteString(strconv.Itoa(len(args)))
	b.WriteString(` AND "u"."created_at" > $`)
	args = append(args, benchTime)
	b.WriteString(strconv.Itoa(len(args)))
	b.WriteString(` AND "u"."name" LIKE $`)
	args = append(args, "a%")
	b.WriteString(strconv.Itoa(len(args)))
	b.WriteString(` GROUP BY "u"."id", "u"."name" HAVING COUNT("o"."id") > $`)
	args = append(args, int64(3))
	b.WriteString(strconv.Itoa(len(args)))
	b.WriteString(` ORDER BY "u"."name" DESC LIMIT 20 OFFSET 40`)
	return b.String(), args, nil
}

// Q3: INSERT INTO users (name, email, active) VALUES ($1,$2,$3) RETURNING id
func q3Typed() (string, []any, error) {
	return builder.InsertInto(Users).
		Values(Users.Name.Set("ann"), Users.Email.Set("ann@example.com"), Users.Active.Set(true)).
		Returning(Users.ID).Build(dialect.Postgres)
}

func q3Hand() (string, []any, error) {
	var b strings.Builder
	b.Grow(96)
	b.WriteString(`INSERT INTO "users" ("name", "email", "active") VALUES ($1, $2, $3) RETURNING "id"`)
	return b.String(), []any{"ann", "ann@example.com", true}, nil
}

// Q4: UPDATE users SET name = $1, email = $2 WHERE id = $3
func q4Typed() (string, []any, error) {
	return builder.Update(Users).
		Set(Users.Name.Set("bob"), Users.Email.Set("bob@example.com")).
		Where(Users.ID.Eq(42)).Build(dialect.Postgres)
}

func q4Hand() (string, []any, error) {
	var b strings.Builder
	b.Grow(64)
	b.WriteString(`UPDATE "users" SET "name" = $1, "email" = $2 WHERE "id" = $3`)
	return b.String(), []any{"bob", "bob@example.com", int64(42)}, nil
}

// Q5: SELECT id FROM users WHERE id IN ($1..$100), from a []int64.
func q5Typed() (string, []any, error) {
	return builder.Select(Users.ID).From(Users).Where(Users.ID.In(benchIDs...)).Build(dialect.Postgres)
}

func q5Hand() (string, []any, error) {
	var b strings.Builder
	b.Grow(48 + 6*len(benchIDs))
	args := make([]any, 0, len(benchIDs))
	b.WriteString(`SELECT "id" FROM "users" WHERE "id" IN (`)
	for i, id := range benchIDs {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, id)
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(len(args)))
	}
	b.WriteByte(')')
	return b.String(), args, nil
}

func BenchmarkRender(b *testing.B) {
	for _, q := range benchQueries {
		for _, impl := range []struct {
			name string
			f    renderFunc
		}{{"typedsql", q.typed}, {"hand", q.hand}} {
			b.Run("q="+q.name+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := impl.f(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestHandRenderersMatch keeps the benchmark honest: both sides render the same SQL and args.
func TestHandRenderersMatch(t *testing.T) {
	for _, q := range benchQueries {
		ts, ta, err := q.typed()
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		hs, ha, _ := q.hand()
		if ts != hs {
			t.Errorf("%s SQL:\ntypedsql %s\nhand     %s", q.name, ts, hs)
		}
		if !reflect.DeepEqual(ta, ha) {
			t.Errorf("%s args:\ntypedsql %#v\nhand     %#v", q.name, ta, ha)
		}
	}
}
