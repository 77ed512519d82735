package builder

// Statement kinds, the first word of a shape (see expr.Shape).
const (
	shapeSelect = iota + 1
	shapeInsert
	shapeUpdate
	shapeDelete
)

// The bits of a SELECT's first word that say it has parts after WHERE.
const (
	selectLimitBit  = 13
	selectOffsetBit = 14
	selectGroupBits = 22 // two
	selectHavingBit = 24
	selectOrderBit  = 25
	selectTail      = 1<<selectLimitBit | 1<<selectOffsetBit | 3<<selectGroupBits | 1<<selectHavingBit |
		1<<selectOrderBit
)

// selectShapeCounts fails to compile if a SELECT's inline array grows past the bits its
// length has in the first word of the statement's shape (cols 3 bits, joins 1, where 2,
// group 2, having 1, order 1), or a join kind past its 3 bits.
const selectShapeCounts = uint(7-len(SelectStmt{}.cols.buf)) + uint(1-len(SelectStmt{}.joins.buf)) +
	uint(3-len(SelectStmt{}.where.buf)) + uint(3-len(SelectStmt{}.group.buf)) +
	uint(1-len(SelectStmt{}.having.buf)) + uint(1-len(SelectStmt{}.order.buf)) + uint(7-crossJoin)

// flag is b as bit n of a shape word. Written so that the compiler zero-extends b rather than
// selecting between two constants (callgrind, BenchmarkRender warm, instructions per
// build+render in the project's own code: Q1 882 -> 877, Q2 2140 -> 2135).
func flag(b bool, n uint) uint64 {
	var u uint64
	if b {
		u = 1
	}
	return u << n
}
