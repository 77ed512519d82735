package expr

import (
	"hash/maphash"
	"sync/atomic"
	"unsafe"
)

// An application renders the same few hundred statements over and over, each time into the
// pooled writer's buffer. Copying the text out into a new string is then the largest cost of
// a render after the walk itself: an allocation, and work for the collector, per query. So
// the rendered texts are interned: a render whose text matches one still in the table returns
// that string and allocates nothing for it.
//
// The table is direct-mapped (a slot per hash, a newer text replaces an older one) and bounded
// in both slots and text length, so that statements of unbounded variety (IN lists of every
// length, generated SQL) cost a hash and a slot store each and cannot grow memory. It holds
// SQL text only: values are bound as arguments, never written into it (Debug output, which
// does inline them, is not interned).
const (
	internSlots  = 1024 // a power of two
	internMaxLen = 1024 // longer texts are copied as before
)

var (
	internSeed  = maphash.MakeSeed()
	internTable [internSlots]atomic.Pointer[uint64]
)

// An interned text is one pointer-free allocation of words: the first holds the text's
// length, the rest its bytes. One atomic pointer so publishes both, and the string shares the
// allocation.

// internSQL returns b as a string: the interned string with the same text, or a new copy,
// which is then interned. b is not kept.
func internSQL(b []byte) string {
	if len(b) == 0 || len(b) > internMaxLen {
		return string(b)
	}
	slot := &internTable[maphash.Bytes(internSeed, b)&(internSlots-1)]
	if t := slot.Load(); t != nil && *t == uint64(len(b)) {
		if s := internedString(t); s == unsafeString(b) {
			return s
		}
	}
	words := make([]uint64, 1+(len(b)+7)/8)
	words[0] = uint64(len(b))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&words[1])), len(b)), b)
	slot.Store(&words[0])
	return internedString(&words[0])
}

// internedString is the text of the interned allocation starting at t.
func internedString(t *uint64) string {
	return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(t), 8)), int(*t))
}
