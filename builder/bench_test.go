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
	rendercache "github.com/typedsql/typedsql/internal/render"
)

// The five PostgreSQL queries of the rendering benchmark, each built from scratch and rendered
// per iteration, beside a hand-written strings.Builder renderer of the same SQL. The hand
// renderers write exactly the SQL typedsql writes (quoted identifiers, as typedsql always
// quotes), and TestHandRenderersMatch checks that, so the comparison is like for like. Table
// descriptors and aliases (u, o) are declarations, made once, as in an application.

// Values come from variables, as they would in an application (a constant string would be
// boxed for free by the compiler on the hand side only), and integers are above 255: Go
// boxes the small ones without allocating, which would hide the allocations real ids cost.
var (
	benchID      = int64(4242)
	benchActive  = true
	benchTime    = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	benchPattern = "a%"
	benchMin     = int64(300)
	benchName    = "ann"
	benchEmail   = "ann@example.com"
	benchIDs     = func() []int64 {
		ids := make([]int64, 100)
		for i := range ids {
			ids[i] = int64(1001 + i)
		}
		return ids
	}()
)

type renderFunc func() (string, []any, error)

// benchDialect is the dialect the typed side renders for: PostgreSQL, or for the uncacheable
// case a dialect that wraps it, which the shape cache does not serve (it cannot know that an
// application's dialect answers the same every time), so every render writes the statement.
var benchDialect dialect.Dialect = dialect.Postgres

type wrappedDialect struct{ dialect.Dialect }

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

// hand is the hand-written renderer's state: a strings.Builder and the args, with placeholders
// numbered from the args written so far, as a careful hand-written renderer does.
type hand struct {
	b    strings.Builder
	args []any
}

func newHand(size, nargs int) *hand {
	h := &hand{args: make([]any, 0, nargs)}
	h.b.Grow(size)
	return h
}

func (h *hand) arg(v any) {
	h.args = append(h.args, v)
	h.b.WriteByte('$')
	h.b.WriteString(strconv.Itoa(len(h.args)))
}

// Q1: SELECT id, name, email FROM users WHERE id = $1
func q1Typed() (string, []any, error) {
	return builder.Select(Users.ID, Users.Name, Users.Email).From(Users).
		Where(Users.ID.Eq(benchID)).Build(benchDialect)
}

func q1Hand() (string, []any, error) {
	h := newHand(64, 1)
	h.b.WriteString(`SELECT "id", "name", "email" FROM "users" WHERE "id" = `)
	h.arg(benchID)
	return h.b.String(), h.args, nil
}

// Q2: SELECT u.id, u.name, count(o.id) FROM users u LEFT JOIN orders o ON o.user_id = u.id
// WHERE u.active = $1 AND u.created_at > $2 AND u.name LIKE $3 GROUP BY u.id, u.name
// HAVING count(o.id) > $4 ORDER BY u.name DESC LIMIT 20 OFFSET 40
func q2Typed() (string, []any, error) {
	return builder.Select(u.ID, u.Name, expr.Count(o.ID)).
		From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).
		Where(u.Active.Eq(benchActive)).Where(u.CreatedAt.Gt(benchTime)).
		Where(expr.Like(u.Name, benchPattern)).
		GroupBy(u.ID, u.Name).Having(expr.Count(o.ID).Gt(benchMin)).
		OrderBy(u.Name.Desc()).Limit(20).Offset(40).
		Build(benchDialect)
}

func q2Hand() (string, []any, error) {
	h := newHand(384, 4)
	h.b.WriteString(`SELECT "u"."id", "u"."name", COUNT("o"."id") FROM "users" AS "u" LEFT JOIN "orders" AS "o" ON "o"."user_id" = "u"."id" WHERE "u"."active" = `)
	h.arg(benchActive)
	h.b.WriteString(` AND "u"."created_at" > `)
	h.arg(benchTime)
	h.b.WriteString(` AND "u"."name" LIKE `)
	h.arg(benchPattern)
	h.b.WriteString(` GROUP BY "u"."id", "u"."name" HAVING COUNT("o"."id") > `)
	h.arg(benchMin)
	h.b.WriteString(` ORDER BY "u"."name" DESC LIMIT `)
	h.b.WriteString(strconv.Itoa(20))
	h.b.WriteString(` OFFSET `)
	h.b.WriteString(strconv.Itoa(40))
	return h.b.String(), h.args, nil
}

// Q3: INSERT INTO users (name, email, active) VALUES ($1,$2,$3) RETURNING id
func q3Typed() (string, []any, error) {
	return builder.InsertInto(Users).
		Values(Users.Name.Set(benchName), Users.Email.Set(benchEmail), Users.Active.Set(benchActive)).
		Returning(Users.ID).Build(benchDialect)
}

func q3Hand() (string, []any, error) {
	h := newHand(96, 3)
	h.b.WriteString(`INSERT INTO "users" ("name", "email", "active") VALUES (`)
	h.arg(benchName)
	h.b.WriteString(", ")
	h.arg(benchEmail)
	h.b.WriteString(", ")
	h.arg(benchActive)
	h.b.WriteString(`) RETURNING "id"`)
	return h.b.String(), h.args, nil
}

// Q4: UPDATE users SET name = $1, email = $2 WHERE id = $3
func q4Typed() (string, []any, error) {
	return builder.Update(Users).
		Set(Users.Name.Set(benchName), Users.Email.Set(benchEmail)).
		Where(Users.ID.Eq(benchID)).Build(benchDialect)
}

func q4Hand() (string, []any, error) {
	h := newHand(64, 3)
	h.b.WriteString(`UPDATE "users" SET "name" = `)
	h.arg(benchName)
	h.b.WriteString(`, "email" = `)
	h.arg(benchEmail)
	h.b.WriteString(` WHERE "id" = `)
	h.arg(benchID)
	return h.b.String(), h.args, nil
}

// Q5: SELECT id FROM users WHERE id IN ($1..$100), from a []int64.
func q5Typed() (string, []any, error) {
	return builder.Select(Users.ID).From(Users).Where(Users.ID.In(benchIDs...)).Build(benchDialect)
}

func q5Hand() (string, []any, error) {
	h := newHand(48+6*len(benchIDs), len(benchIDs))
	h.b.WriteString(`SELECT "id" FROM "users" WHERE "id" IN (`)
	for i, id := range benchIDs {
		if i > 0 {
			h.b.WriteString(", ")
		}
		h.arg(id)
	}
	h.b.WriteByte(')')
	return h.b.String(), h.args, nil
}

// BenchmarkRender runs each query's hand-written renderer (impl=hand) beside typedsql in
// three cases: warm, the statement's shape rendered before (impl=typedsql); uncacheable,
// rendered for a dialect the shape cache does not serve (impl=uncacheable); and first, the
// render caches emptied before every render (impl=first), whose cost of emptying them alone
// is impl=reset, to be subtracted (see BENCHMARKS.md).
func BenchmarkRender(b *testing.B) {
	for _, q := range benchQueries {
		first := func() (string, []any, error) {
			rendercache.ResetCaches()
			return q.typed()
		}
		reset := func() (string, []any, error) {
			rendercache.ResetCaches()
			return "", nil, nil
		}
		for _, impl := range []struct {
			name string
			f    renderFunc
			d    dialect.Dialect
		}{{"typedsql", q.typed, dialect.Postgres}, {"hand", q.hand, dialect.Postgres},
			{"uncacheable", q.typed, wrappedDialect{dialect.Postgres}},
			{"first", first, dialect.Postgres}, {"reset", reset, dialect.Postgres}} {
			b.Run("q="+q.name+"/impl="+impl.name, func(b *testing.B) {
				benchDialect = impl.d
				defer func() { benchDialect = dialect.Postgres }()
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

// TestRenderAllocs holds the benchmark's allocation target: building and rendering each query
// allocates at most 2 times more than the hand-written renderer. (A statement built and
// rendered in one expression lives on the stack; one that escapes costs one allocation more.)
func TestRenderAllocs(t *testing.T) {
	for _, q := range benchQueries {
		typed := testing.AllocsPerRun(100, func() { q.typed() })
		hand := testing.AllocsPerRun(100, func() { q.hand() })
		if typed > hand+2 {
			t.Errorf("%s: typedsql allocates %.0f times, the hand-written renderer %.0f", q.name, typed, hand)
		}
	}
}
