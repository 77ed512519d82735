package conn

import (
	"reflect"
	"testing"
)

type benchTeam struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

type benchMember struct {
	ID   int64      `db:"id"`
	Name string     `db:"name"`
	Team *benchTeam `db:"team"`
}

// BenchmarkNestedFill measures filling a row struct's pointer group (a LEFT JOIN's side, two
// columns) from one scanned row's cells: nestedDest.fill, through the plan's offsets made into
// reflect.Values by fieldAt (impl=offsets), against the same work through reflect.Value's
// FieldByIndex (impl=reflect). The scan itself (the driver) is the same for both and left out.
// Measured on the session of 2026-12-06, 2 cores: with unsafe pointer stores in fill, 91-109 ns
// against reflect's 83-91 ns — unsafe did not pay, and fetch_nested.go no longer imports it;
// through fieldAt 149-197 ns, 1 allocation (the struct) either way, next to a driver scan of
// several microseconds per row.
//
//	go test ./conn -run '^$' -bench BenchmarkNestedFill -benchmem
func BenchmarkNestedFill(b *testing.B) {
	plan, err := rowTypeOf(reflect.TypeFor[benchMember]()).plan([]string{"id", "name", "team.id", "team.name"})
	if err != nil {
		b.Fatal(err)
	}
	dest := make([]any, len(plan.cols))
	nd := newNestedDest(plan, false, dest)
	*dest[2].(**int64) = new(int64)
	*dest[3].(**string) = new(string)
	**dest[2].(**int64), **dest[3].(**string) = 7, "blue"
	var row benchMember

	b.Run("impl=offsets", func(b *testing.B) {
		for b.Loop() {
			row.Team = nil
			if i := nd.fill(reflect.ValueOf(&row)); i >= 0 || row.Team == nil || row.Team.Name != "blue" {
				b.Fatalf("fill: %d %+v", i, row.Team)
			}
		}
	})
	b.Run("impl=reflect", func(b *testing.B) {
		teamIdx := []int{2}
		cellIdx := [][]int{{0}, {1}} // team.id, team.name in benchTeam
		for b.Loop() {
			row.Team = nil
			rv := reflect.ValueOf(&row).Elem()
			present := false
			for i := range nd.cells {
				if !nd.cells[i].null() {
					present = true
				}
			}
			if !present {
				continue
			}
			team := reflect.New(plan.nested.groups[0].typ)
			rv.FieldByIndex(teamIdx).Set(team)
			for i := range nd.cells {
				team.Elem().FieldByIndex(cellIdx[i]).Set(nd.cells[i].store.Elem().Elem())
			}
			if row.Team == nil || row.Team.Name != "blue" {
				b.Fatalf("reflect fill: %+v", row.Team)
			}
		}
	})
}
