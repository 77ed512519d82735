package conn

import (
	"reflect"
	"testing"
)

// BenchmarkFieldPointers makes the scan destinations of one row of planRow's four columns
// (one in an embedded struct) two ways: the plan's, each field's type at its offset from the
// struct's start (scanPlan.dest, fieldAt), and reflect's walk that needs no unsafe,
// FieldByIndex then Addr. A fetch into a new struct per row (conn.All[*T], nested structs
// held by pointer) makes them for every row; a fetch into values once per query. The number
// beside fieldAt comes from here.
func BenchmarkFieldPointers(b *testing.B) {
	rt := rowTypeOf(reflect.TypeFor[planRow]())
	plan, err := rt.plan([]string{"name", "ID", "user_name", "created"})
	if err != nil {
		b.Fatal(err)
	}
	index := [][]int{{1}, {0, 0}, {2}, {0, 1}} // the same fields, as reflect numbers them
	dest := make([]any, len(index))
	b.Run("impl=offset", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			plan.dest(reflect.New(rt.strct).UnsafePointer(), dest)
		}
	})
	b.Run("impl=index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v := reflect.New(rt.strct).Elem()
			for i, ix := range index {
				dest[i] = v.FieldByIndex(ix).Addr().Interface()
			}
		}
	})
	// Both ways reach the same fields.
	v := reflect.New(rt.strct)
	plan.dest(v.UnsafePointer(), dest)
	for i, ix := range index {
		if want := v.Elem().FieldByIndex(ix).Addr().Interface(); dest[i] != want {
			b.Fatalf("column %d: the plan's pointer is not field %v's", i, ix)
		}
	}
}
