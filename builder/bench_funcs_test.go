package builder_test

import (
	"reflect"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// The per-engine functions and keyset pages beside hand-written renderers of the same
// PostgreSQL SQL (see bench_test.go for the rules both sides follow).

var benchDays = int64(-300)

// F1: a monthly report of the last benchDays days.
func f1Typed() (string, []any, error) {
	m := expr.DateTrunc(expr.Month, Users.CreatedAt)
	return builder.Select(m, expr.Count(Users.ID)).From(Users).
		Where(Users.CreatedAt.GtExpr(expr.AddTime(expr.Now(), benchDays, expr.Day))).
		GroupBy(m).OrderBy(m.Asc()).Build(dialect.Postgres)
}

func f1Hand() (string, []any, error) {
	h := newHand(320, 1)
	h.b.WriteString(`SELECT DATE_TRUNC('month', "created_at", 'UTC'), COUNT("id") FROM "users" WHERE "created_at" > ((CURRENT_TIMESTAMP AT TIME ZONE 'UTC' + MAKE_INTERVAL(days => `)
	h.arg(benchDays)
	h.b.WriteString(`)) AT TIME ZONE 'UTC') GROUP BY DATE_TRUNC('month', "created_at", 'UTC') ORDER BY DATE_TRUNC('month', "created_at", 'UTC') ASC`)
	return h.b.String(), h.args, nil
}

// F2: the keyset page after a cursor row.
func f2Typed() (string, []any, error) {
	return builder.Select(Users.ID, Users.Name).From(Users).Limit(20).
		SeekAfter(expr.Key(Users.CreatedAt, benchTime).Desc(), expr.Key(Users.ID, benchID).Desc()).
		Build(dialect.Postgres)
}

func f2Hand() (string, []any, error) {
	h := newHand(160, 2)
	h.b.WriteString(`SELECT "id", "name" FROM "users" WHERE ("created_at", "id") < (`)
	h.arg(benchTime)
	h.b.WriteString(", ")
	h.arg(benchID)
	h.b.WriteString(`) ORDER BY "created_at" DESC, "id" DESC LIMIT 20`)
	return h.b.String(), h.args, nil
}

var benchFuncQueries = []struct {
	name        string
	typed, hand renderFunc
}{{"F1", f1Typed, f1Hand}, {"F2", f2Typed, f2Hand}}

func BenchmarkRenderFuncs(b *testing.B) {
	for _, q := range benchFuncQueries {
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

// TestHandFuncRenderersMatch keeps BenchmarkRenderFuncs like for like.
func TestHandFuncRenderersMatch(t *testing.T) {
	for _, q := range benchFuncQueries {
		ts, ta, err := q.typed()
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		hs, ha, _ := q.hand()
		if ts != hs || !reflect.DeepEqual(ta, ha) {
			t.Errorf("%s:\ntypedsql %s %v\nhand     %s %v", q.name, ts, ta, hs, ha)
		}
	}
}
