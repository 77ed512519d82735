package expr

import (
	"hash/maphash"
	"unsafe"
)

// An application renders the same few hundred statements over and over, each time into the
// pooled writer's buffer. Copying the text out into a new string is then the largest cost of
// a render after the walk itself: an allocation, and work for the collector, per query. So
// the rendered texts are interned: a render whose text matches one still in the table returns
// that string and allocates nothing for it.
//
// The table (a setCache) is bounded in entries and text length, so that statements of
// unbounded variety (IN lists of every length, generated SQL) cost a hash and a store each and
// cannot grow memory. It holds SQL text only: values are bound as arguments, never written
// into it (Debug output, which does inline them, is not interned).
const (
	internSets   = 256  // of four texts each
	internMaxLen = 1024 // longer texts are copied as before
)

var (
	internSeed  = maphash.MakeSeed()
	internTexts = newSetCache[internedText](internSets)
)

// internedText heads an interned text: one pointer-free allocation of words, this header and
// then the text's bytes, so that one atomic pointer publishes the text with its hash and
// length, and the string shares the allocation.
//
// unsafe: the text is read at the header's end (string) and written there (internSQL),
// which a struct of a hash and a string cannot do. Against that struct, a text not seen
// before costs one allocation instead of two and 713 instructions instead of 946 (96 bytes
// instead of 104); a text seen before costs the same, 224 against 222 (callgrind,
// BenchmarkIntern, instructions per call).
type internedText struct {
	hash uint64
	n    int
}

const internHeader = unsafe.Sizeof(internedText{})

// internSQL returns b as a string: the interned string with the same text, or a new copy,
// which is then interned. b is not kept.
func internSQL(b []byte) string {
	if len(b) == 0 || len(b) > internMaxLen {
		return string(b)
	}
	h := maphash.Bytes(internSeed, b)
	set := internTexts.set(h)
	for i := range set {
		t := set[i].Load()
		if t == nil { // none after an empty slot (see setCache)
			break
		}
		if t.hash == h && t.n == len(b) {
			if s := t.string(); s == string(b) { // compared in place: string(b) is not made
				return s
			}
		}
	}
	words := make([]uint64, internHeader/8+(uintptr(len(b))+7)/8)
	t := (*internedText)(unsafe.Pointer(&words[0]))
	t.hash, t.n = h, len(b)
	copy(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(t), internHeader)), len(b)), b)
	internTexts.add(h, t)
	return t.string()
}

// string is the interned text.
func (t *internedText) string() string {
	return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(t), internHeader)), t.n)
}
