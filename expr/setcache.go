package expr

import (
	"sync/atomic"

	"github.com/typedsql/typedsql/internal/render"
)

// setCache is the storage of the two render caches, the interned texts (intern.go) and the
// texts of known shapes (shape.go): sets of four slots, a set chosen by a hash, each slot an
// atomic pointer to an immutable entry. Reading takes no lock. A new entry takes the first
// empty slot of its set, or replaces the entries there in turn. A slot is never emptied (but
// by reset), and is filled only once every slot before it is: a lookup stops at the first
// empty slot, which for a shape not seen before, in a set not yet full, saves reading the
// rest (callgrind, BenchmarkRender, instructions per build+render: first render Q1 2630 ->
// 2600, Q2 6356 -> 6331, Q3 3880 -> 3865).
//
// Four slots a set rather than one, because with one slot per hash, two statements that an
// application runs all the time share a slot too often (a quarter of 300 statements do in a
// table of 1024 slots) and would replace each other at every render. The number of entries is
// fixed, so the memory a cache holds is bounded whatever the application renders.
type setCache[E any] struct {
	sets []cacheSet[E]
	turn atomic.Uint32 // the slot the next replacement takes
}

const cacheWays = 4

type cacheSet[E any] [cacheWays]atomic.Pointer[E]

// newSetCache makes a cache of n sets; n is a power of two.
func newSetCache[E any](n int) *setCache[E] {
	return &setCache[E]{sets: make([]cacheSet[E], n)}
}

// set is the set of the entries whose hash is h.
func (c *setCache[E]) set(h uint64) *cacheSet[E] {
	return &c.sets[h&uint64(len(c.sets)-1)]
}

// add stores e, whose hash is h.
func (c *setCache[E]) add(h uint64, e *E) {
	set := c.set(h)
	for i := range set {
		if set[i].Load() == nil && set[i].CompareAndSwap(nil, e) {
			return
		}
	}
	set[c.turn.Add(1)%cacheWays].Store(e)
}

// reset empties the cache. Not safe while other goroutines use it: for benchmarks only.
func (c *setCache[E]) reset() { clear(c.sets) }

func init() {
	render.ResetCaches = func() {
		internTexts.reset()
		shapeTexts.reset()
	}
}
