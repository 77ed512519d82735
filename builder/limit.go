package builder

// limitOffset is LIMIT and OFFSET, written as literals (see its walk in walk.go).
type limitOffset struct {
	limit, offset       int64
	hasLimit, hasOffset bool
}
