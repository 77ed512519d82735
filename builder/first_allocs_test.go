package builder_test

import (
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	rendercache "github.com/typedsql/typedsql/internal/render"
)

// TestFirstRenderAllocatesOnlyTheShape holds what a first render of a shape may cost beyond a
// warm one: the one allocation that keeps the shape's text. The INSERT binds fewer arguments
// than it has values (DEFAULT is written, not bound), so the writer's hint to reserve room
// for every value must not move the arguments out of the slice made for them.
func TestFirstRenderAllocatesOnlyTheShape(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop writers at random: allocation counts vary")
	}
	name := "a name long enough to be boxed"
	cases := []struct {
		name  string
		build renderFunc
	}{{"insert with DEFAULT", func() (string, []any, error) {
		return builder.InsertInto(Users).Values(Users.Name.Set(name), Users.Visits.SetDefault()).
			Values(Users.Name.Set(name), Users.Visits.SetDefault()).Build(dialect.Postgres)
	}}}
	for _, q := range benchQueries[:4] { // Q5 binds more values than a shape gathers
		cases = append(cases, struct {
			name  string
			build renderFunc
		}{q.name, q.typed})
	}
	for _, c := range cases {
		if _, _, err := c.build(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		warm := testing.AllocsPerRun(100, func() { c.build() })
		first := testing.AllocsPerRun(100, func() {
			rendercache.ResetCaches()
			c.build()
		})
		if first > warm+1 {
			t.Errorf("%s: a first render allocates %.0f times, a warm one %.0f", c.name, first, warm)
		}
	}
}
