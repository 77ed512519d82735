package expr

import "unsafe" // for putRun only: see there for the number that justifies it

// A textRun is a piece of SQL text fixed before any rendering: a column or table reference
// quoted when its descriptor was declared, an operator. Besides the string, a text of up to
// textRunLen bytes is kept in a fixed array, which the writer copies whole into its buffer's
// spare capacity, two 16-byte moves, and then counts only its length: a short text of varying
// length copied with copy() costs a call to memmove that branches on the length, about 30
// instructions where the array costs 4. Used for column and table references, comparison
// operators and aggregate names (callgrind, BenchmarkRender, instructions per build+render:
// first render Q1 3167 -> 3065, Q2 8252 -> 7979; uncacheable Q1 2451 -> 2377, Q2 6773 -> 6488).
type textRun struct {
	s string
	b [textRunLen]byte
	n uint8 // len(s) when s fits in b; 0 otherwise, and s is written as Text writes it
}

const textRunLen = 32

func newTextRun(s string) textRun {
	r := textRun{s: s}
	if len(s) <= textRunLen {
		copy(r.b[:], s)
		r.n = uint8(len(s))
	}
	return r
}

// tryRun appends r's text from its array (putRun) and reports whether it did: not for a text
// too long for the array, or when the buffer lacks the spare room for all of the array, where
// the caller writes r.s with Text:
//
//	if !w.tryRun(r) {
//		w.Text(r.s)
//	}
//
// (a method making that call too would cost more than the inliner allows, even with the
// call in a function of its own).
func (w *Writer) tryRun(r *textRun) bool {
	n := len(w.buf)
	if cap(w.buf)-n < textRunLen || r.n == 0 {
		return false
	}
	w.putRun(n, r)
	return true
}

// putRun stores r's array at the end of the buffer, whose length is n and which has room for
// all of the array (the caller checked), and counts only r's length.
//
// unsafe: the array is stored at the buffer's address plus its length, not through a slice
// of its spare room (*(*[textRunLen]byte)(w.buf[n:n+textRunLen]) = r.b), whose bounds
// arithmetic costs about 4 instructions a copy. Measured again on main at d676f4a
// (callgrind, BenchmarkRender, instructions per build+render, two runs each, the slice
// against this): uncacheable Q1 2119, 2125 -> 2095, 2097; Q2 5474, 5470 -> 5372, 5365.
func (w *Writer) putRun(n int, r *textRun) {
	*(*[textRunLen]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(w.buf)), n)) = r.b
	w.buf = w.buf[:n+int(r.n)] // re-sliced in place: no write barrier (see Text)
}
