package builder

// inline is one of a statement's lists (select items, conditions, joins, ...) kept in a fixed
// array inside the statement while it fits. A statement built and rendered in one expression
// then lives on the caller's stack with everything it holds: no allocation, and no write
// barriers for the stores that fill it. Once the list outgrows the array it moves, whole, to a
// heap slice the statement keeps elsewhere (its overflow part), and n says so.
//
// The statement keeps a count, not a slice of its own array: a statement pointing into itself
// escapes to the heap.
type inline[T any, A inlineArray[T]] struct {
	buf A
	n   uint8 // items in buf, or spilled
}

// inlineArray is the fixed arrays an inline list may use.
type inlineArray[T any] interface {
	[1]T | [2]T | [3]T | [4]T | [5]T | [6]T
}

// spilled marks a list that moved to its overflow slice.
const spilled = 0xff

// add appends vs in place and reports whether they fit; if not, nothing is added and the
// caller moves the list with spill:
//
//	if !s.cols.add(cols) {
//		s.cols.spill(&s.ext().cols, cols)
//	}
func (l *inline[T, A]) add(vs []T) bool {
	n := int(l.n)
	if l.n == spilled || n+len(vs) > len(l.buf) {
		return false
	}
	// Element by element: append(dst, vs...) would copy with typedslicecopy, which runs a bulk
	// write barrier while the collector marks, several times the cost of these few stores.
	for i := range vs {
		l.buf[n+i] = vs[i]
	}
	l.n = uint8(n + len(vs))
	return true
}

// spill appends vs to *over, the list's overflow slice, first moving the inline items there
// if they have not moved yet.
func (l *inline[T, A]) spill(over *[]T, vs []T) {
	if l.n != spilled {
		moved := make([]T, l.n, int(l.n)+len(vs)+len(l.buf))
		for i := range moved {
			moved[i] = l.buf[i]
		}
		var zero A
		l.buf, l.n = zero, spilled // drop the references the array held
		*over = moved
	}
	*over = append(*over, vs...)
}

// items is the list: *over once spilled, else the first n items of buf, which is l.buf sliced
// by the caller (l.cols.items(l.cols.buf[:], &x.cols)): a type-parameter array cannot be
// sliced, and its caller's concrete array costs one bounds check where a view made here with
// unsafe.Slice checked its length against overflow, a multiplication and two tests
// (callgrind, BenchmarkRender warm, instructions per build+render, when the shape's walk read
// its lists through items: Q1 1367 -> 1331, Q2 3365 -> 3303). The view is for reading during
// one render; it is not kept.
func (l *inline[T, A]) items(buf []T, over *[]T) []T {
	if l.n == spilled {
		return *over
	}
	return buf[:l.n]
}

// len is the number of items.
func (l *inline[T, A]) len(over []T) int {
	if l.n == spilled {
		return len(over)
	}
	return int(l.n)
}
