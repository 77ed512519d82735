package expr

import (
	"testing"

	"github.com/typedsql/typedsql/dialect"
)

// TestSetCacheKeepsFourEntriesOfOneSet: entries whose hashes pick the same set do not replace
// one another until the set is full, and then one at a time.
func TestSetCacheKeepsFourEntriesOfOneSet(t *testing.T) {
	c := newSetCache[int](8)
	const h = 3
	entries := make([]*int, cacheWays+1)
	for i := range entries {
		entries[i] = new(int)
		*entries[i] = i
	}
	held := func() map[int]bool {
		m := map[int]bool{}
		for i := range c.set(h) {
			if e := c.set(h)[i].Load(); e != nil {
				m[*e] = true
			}
		}
		return m
	}
	for i := range cacheWays {
		c.add(h+8*uint64(i), entries[i]) // other hashes, the same set
	}
	if got := held(); len(got) != cacheWays {
		t.Fatalf("a full set holds %v, want the %d entries added", got, cacheWays)
	}
	c.add(h, entries[cacheWays])
	got := held()
	if len(got) != cacheWays || !got[cacheWays] {
		t.Fatalf("after one more entry the set holds %v, want the new one and three of the others", got)
	}
	if other := c.set(h + 1); other[0].Load() != nil {
		t.Fatal("an entry landed in another set")
	}
}

// TestShapeCacheKeepsAnApplicationsStatements: 300 shapes, the statements of a sizeable
// application, all stay in the cache once rendered. (In 1024 slots of one entry each, about 75
// of them would share a slot with another and be rendered again and again; in 2048, with as
// many entries as the cache holds, 12 were lost.)
//
// It starts from an empty cache: the claim is about an application's statements, not about
// what earlier tests (or earlier runs of this one, under -count) left in the cache, which,
// full, gives each new entry a slot of an older one.
func TestShapeCacheKeepsAnApplicationsStatements(t *testing.T) {
	for i := range shapeTexts.sets {
		for j := range shapeTexts.sets[i] {
			shapeTexts.sets[i][j].Store(nil)
		}
	}
	const shapes = 300
	base := shapeIDs.Add(shapes) // words no other test uses
	shape := func(i int) *Shape {
		k := &Shape{}
		k.For(dialect.SQLite)
		k.Word(base + uint64(i))
		return k
	}
	for i := range shapes {
		_, _, err := Plumbing.RenderShaped(dialect.SQLite, shape(i), func(w *Writer) { w.Text("SELECT 1") })
		if err != nil {
			t.Fatal(err)
		}
	}
	kept := 0
	for i := range shapes {
		k := shape(i)
		id := dialectID(dialect.SQLite)
		if lookupShape(shapeHash(id, k.key()), shapeTag(id, k), k.key()) != nil {
			kept++
		}
	}
	if kept < shapes-3 {
		t.Fatalf("the cache kept %d of %d shapes", kept, shapes)
	}
}
