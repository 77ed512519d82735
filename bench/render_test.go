package bench

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The render benchmark: the five PostgreSQL statements of the root module's BenchmarkRender
// (builder/bench_test.go), plus F, a statement whose structure no earlier render had, each
// built from scratch and rendered per iteration by every library, written as that library's
// documentation writes it. Table descriptors and aliases are declarations, made once, as in an
// application.
//
//	Q1  SELECT "id", "name", "email" FROM "users" WHERE "id" = $1
//	Q2  SELECT "u"."id", "u"."name", COUNT("o"."id") FROM "users" AS "u"
//	    LEFT JOIN "orders" AS "o" ON "o"."user_id" = "u"."id"
//	    WHERE "u"."active" = $1 AND "u"."created_at" > $2 AND "u"."name" LIKE $3
//	    GROUP BY "u"."id", "u"."name" HAVING COUNT("o"."id") > $4
//	    ORDER BY "u"."name" DESC LIMIT 20 OFFSET 40
//	Q3  INSERT INTO "users" ("name", "email", "active") VALUES ($1, $2, $3) RETURNING "id"
//	Q4  UPDATE "users" SET "name" = $1, "email" = $2 WHERE "id" = $3
//	Q5  SELECT "id" FROM "users" WHERE "id" IN ($1, ..., $100)     (from a []int64)
//	F   SELECT "id", "name", "email" FROM "users"
//	    WHERE "active" = $1 AND "name" LIKE $2 AND "visits" >= $3
//	    ORDER BY "created_at" DESC LIMIT n                          (n new at every render)
//
// F's LIMIT is a literal that changes at every render, so its SQL text is new every time:
// typedsql's shape cache and interned texts never hold it, and the render walks the statement
// as it does the first time it meets any structure (see the expr package's "Rendering once per
// shape"). Libraries that bind LIMIT as a parameter render the same text each time; none of
// them caches a rendering.

// Values come from variables, as in an application, and are above 255: Go boxes the integers
// 0 to 255 into an interface without allocating, which would flatter whichever side boxes them.
var (
	benchID      = int64(1042)
	benchActive  = true
	benchTime    = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	benchPattern = "a%"
	benchMin     = int64(300)
	benchName    = "ann"
	benchEmail   = "ann@example.com"
	benchVisits  = int32(500)
	benchIDs     = func() []int64 {
		ids := make([]int64, 100)
		for i := range ids {
			ids[i] = int64(1001 + i)
		}
		return ids
	}()
)

// A renderFunc builds and renders one statement. n is F's LIMIT; the other statements ignore
// it.
type renderFunc func(n int) (string, []any, error)

// statements names the benchmark's statements in order.
var statements = []string{"Q1", "Q2", "Q3", "Q4", "Q5", "F"}

// renderer is one library's way of writing the statements.
type renderer struct {
	name string
	// q holds one renderFunc per statement, in the order of statements.
	q [6]renderFunc
	// inlines: the library writes values into the SQL text instead of binding them (bun),
	// so its text is compared with the values inlined and it has no arguments.
	inlines bool
	// bindsLimit: LIMIT and OFFSET are bound as parameters, not written as literals, so
	// they are the last arguments.
	bindsLimit bool
	// want, when set for a statement, is what this library must render instead of typedsql's
	// text: the same statement written in another order the library cannot change.
	want map[string]string
	// normalise says what the equivalence test has to remove from this library's SQL before
	// it equals typedsql's (besides quoting, whitespace and case), for BENCHMARKS.md.
	normalise string
}

// renderers lists the libraries, typedsql (the reference of the equivalence test) first; each
// has its own render_*_test.go file.
var renderers = []renderer{
	typedsqlRender, handRender, jetRender, bobRender, bunRender, squirrelRender, goquRender, sqlbuilderRender,
}

// freshN numbers F's renders across every benchmark and run of the process, so that no LIMIT
// repeats.
var freshN atomic.Int64

func BenchmarkRender(b *testing.B) {
	for qi, q := range statements {
		for _, r := range renderers {
			f := r.q[qi]
			b.Run("q="+q+"/impl="+r.name, func(b *testing.B) {
				b.ReportAllocs()
				defer reportCPU(b, cpuTime())
				// n starts past every earlier render's, and each iteration takes the next.
				n := int(freshN.Add(1 << 32))
				for b.Loop() {
					n++
					if _, _, err := f(n); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestRenderEquivalent keeps the benchmark honest: every library renders the same statement,
// with the same arguments, so none is measured doing less. Both texts are compared with the
// values inlined, after normalSQL; a library whose entry names no normalisation must also
// write typedsql's text byte for byte (none of the peers does).
func TestRenderEquivalent(t *testing.T) {
	const n = 70000 // F's LIMIT: above 255, and the same for every library
	ref := renderers[0]
	if ref.name != "typedsql" {
		t.Fatalf("the first renderer is %q, want typedsql", ref.name)
	}
	for qi, q := range statements {
		wantSQL, wantArgs, err := ref.q[qi](n)
		if err != nil {
			t.Fatalf("%s typedsql: %v", q, err)
		}
		for _, r := range renderers[1:] {
			wantSQL, wantArgs := wantSQL, wantArgs
			if alt, ok := r.want[q]; ok {
				wantSQL, wantArgs = alt, reorderArgs(alt, wantSQL, wantArgs)
			}
			want := normalSQL(inline(wantSQL, wantArgs))
			gotSQL, gotArgs, err := r.q[qi](n)
			if err != nil {
				t.Errorf("%s %s: %v", q, r.name, err)
				continue
			}
			if r.inlines {
				if len(gotArgs) != 0 {
					t.Errorf("%s %s: inlines values but returned args %v", q, r.name, gotArgs)
				}
			} else {
				if got := normalSQL(inline(gotSQL, gotArgs)); got != want {
					t.Errorf("%s %s SQL differs:\ntypedsql %s\n%-8s %s\nnormalised:\n%s\n%s", q, r.name, wantSQL, r.name, gotSQL, want, got)
				}
				if err := sameArgs(wantArgs, gotArgs, r.bindsLimit); err != nil {
					t.Errorf("%s %s: %v", q, r.name, err)
				}
				if r.normalise == "" && gotSQL != wantSQL {
					t.Errorf("%s %s: claims typedsql's exact SQL, but:\ntypedsql %s\n%-8s %s", q, r.name, wantSQL, r.name, gotSQL)
				}
				continue
			}
			if got := normalSQL(gotSQL); got != want {
				t.Errorf("%s %s SQL differs:\ntypedsql %s\n%-8s %s\nnormalised:\n%s\n%s", q, r.name, wantSQL, r.name, gotSQL, want, got)
			}
		}
	}
}

// sameArgs compares a library's arguments with typedsql's: the same values of the same types,
// in the same order; a library that binds LIMIT and OFFSET has them as extra integers at the
// end.
func sameArgs(want, got []any, bindsLimit bool) error {
	if bindsLimit && len(got) > len(want) {
		for _, v := range got[len(want):] {
			if _, err := strconv.ParseInt(fmt.Sprint(v), 10, 64); err != nil {
				return fmt.Errorf("an argument past typedsql's is %T %v, not a LIMIT or OFFSET", v, v)
			}
		}
		got = got[:len(want)]
	}
	if len(got) != len(want) {
		return fmt.Errorf("%d arguments, typedsql %d:\n%#v\n%#v", len(got), len(want), got, want)
	}
	for i := range want {
		if sameInt(want[i], got[i]) {
			continue // goqu binds every signed integer as an int64
		}
		if fmt.Sprintf("%T %v", want[i], want[i]) != fmt.Sprintf("%T %v", got[i], got[i]) {
			return fmt.Errorf("argument %d is %T %v, typedsql's %T %v", i+1, got[i], got[i], want[i], want[i])
		}
	}
	return nil
}

// reorderArgs returns args, numbered by their placeholders in sql, in the order alt's
// placeholders name them: alt numbers $1..$n the values it writes in its own order, and names
// each with the column sql assigns it to ("name" = $2 in alt is the value of "name" = $1 in
// sql).
func reorderArgs(alt, sql string, args []any) []any {
	assign := regexp.MustCompile(`("[a-z_]+") = \$([0-9]+)`)
	byCol := map[string]any{}
	for _, m := range assign.FindAllStringSubmatch(sql, -1) {
		i, _ := strconv.Atoi(m[2])
		byCol[m[1]] = args[i-1]
	}
	out := slices.Clone(args)
	for _, m := range assign.FindAllStringSubmatch(alt, -1) {
		i, _ := strconv.Atoi(m[2])
		if v, ok := byCol[m[1]]; ok && i <= len(out) {
			out[i-1] = v
		}
	}
	return out
}

// sameInt reports whether a and b are signed integers of the same value.
func sameInt(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.CanInt() && vb.CanInt() && va.Int() == vb.Int()
}

var placeholder = regexp.MustCompile(`\$[0-9]+|\?`)

// inline writes each argument into the SQL at its placeholder ($n or ?), as a literal, so that
// texts that bind different things (a LIMIT) compare.
func inline(sql string, args []any) string {
	next := 0
	return placeholder.ReplaceAllStringFunc(sql, func(p string) string {
		i := next
		if p != "?" {
			i, _ = strconv.Atoi(p[1:])
			i--
		}
		next++
		if i < 0 || i >= len(args) {
			return p
		}
		return literal(args[i])
	})
}

func literal(v any) string {
	switch v := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case time.Time:
		return "'" + v.UTC().Format("2006-01-02 15:04:05.999999-07:00") + "'"
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

var (
	// what quoting, spacing and case change, and the SQL does not depend on
	jetAlias   = regexp.MustCompile(` AS "[a-z_]+\.[a-z_]+"`)
	tableQual  = regexp.MustCompile(`\b(users|orders)\.`)
	castSuffix = regexp.MustCompile(`::timestamp with time zone|::[a-z]+`)
	timeLit    = regexp.MustCompile(`'([0-9-]+)[ T]([0-9:.]+)(Z|\+00:00)'`)
	spaces     = regexp.MustCompile(`\s+`)
)

// normalSQL removes from a text what libraries spell differently without changing the
// statement: identifier quotes, parentheses, column aliases of jet's form ("t.c", which its
// result mapping needs), the table's name qualifying a column of a one-table statement (jet),
// IS TRUE for = TRUE (goqu), casts of bound values, a trailing semicolon, spacing and case.
func normalSQL(s string) string {
	s = jetAlias.ReplaceAllString(s, "")
	s = tableQual.ReplaceAllString(s, "")
	s = castSuffix.ReplaceAllString(s, "")
	s = timeLit.ReplaceAllString(s, "'$1 $2+00:00'")
	s = strings.NewReplacer(`"`, "", "`", "", "(", " ", ")", " ", ";", " ", ",", " , ", ">=", " >= ", "=", " = ", " IS TRUE", " = TRUE").Replace(s)
	s = spaces.ReplaceAllString(strings.TrimSpace(s), " ")
	return strings.ToUpper(s)
}

// TestRenderersComplete checks that every library writes every statement.
func TestRenderersComplete(t *testing.T) {
	var names []string
	for _, r := range renderers {
		names = append(names, r.name)
		for qi, f := range r.q {
			if f == nil {
				t.Errorf("%s does not write %s", r.name, statements[qi])
			}
		}
	}
	want := []string{"typedsql", "hand", "jet", "bob", "bun", "squirrel", "goqu", "sqlbuilder"}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("renderers %v, want %v", names, want)
	}
}
