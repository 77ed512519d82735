package builder

// push appends src to dst, element by element while dst has room. append(dst, src...) copies
// with typedslicecopy, which, while the collector is marking, runs a bulk write barrier that
// looks up the heap bits of every pointer slot: several times the cost of the few element
// stores that fill a statement's inline buffers.
func push[T any](dst, src []T) []T {
	n := len(dst)
	if n+len(src) > cap(dst) {
		return append(dst, src...)
	}
	dst = dst[:n+len(src)]
	for i := range src {
		dst[n+i] = src[i]
	}
	return dst
}
