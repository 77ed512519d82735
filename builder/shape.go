package builder

import "github.com/typedsql/typedsql/expr"

// Statement kinds, the first word of a shape (see expr.Shape).
const (
	shapeSelect = iota + 1
	shapeInsert
	shapeUpdate
	shapeDelete
)

// shape describes the statement for the shape cache (see expr.Shape), part by part in the
// order writeBody writes them, so that the arguments are gathered in placeholder order.
// Statements with WITH, several FROM sources, or lists longer than their inline arrays are
// rendered every time.
func (s *SelectStmt) shape(k *expr.Shape) {
	if s.x != nil {
		k.Unknown()
		return
	}
	// Without an extension no list has spilled (spilling makes one), so each list is in its
	// inline array, at most as long as the array, and the first word holds every list's
	// length in the bits that array needs (selectShapeCounts checks them at compile time):
	// an empty list then costs no word and no call, and a list no word for its length. The
	// lists are sliced from their arrays here, where their type is concrete, rather than
	// through items, which checks again for a spilled or empty list (callgrind,
	// BenchmarkRender warm, instructions per build+render: Q1 1374 -> 1350, Q2 3333 -> 3283).
	var join *join // the one join, its kind in the first word
	var kind uint64
	if s.joins.n > 0 {
		join = &s.joins.buf[0]
		kind = uint64(join.kind)
	}
	w := shapeSelect | flag(s.distinct, 8) | uint64(s.lock.strength)<<9 | uint64(s.lock.wait)<<11 |
		flag(s.limit.hasLimit, selectLimitBit) | flag(s.limit.hasOffset, selectOffsetBit) |
		flag(s.from != nil, 15) | uint64(s.cols.n)<<16 | uint64(s.joins.n)<<19 |
		uint64(s.where.n)<<20 | uint64(s.group.n)<<selectGroupBits | uint64(s.having.n)<<selectHavingBit |
		uint64(s.order.n)<<selectOrderBit | kind<<26
	k.Word(w)
	k.Exprs(s.cols.buf[:s.cols.n])
	if s.from != nil {
		k.Source(s.from)
	}
	if join != nil {
		k.Source(join.src)
		if join.kind != crossJoin {
			k.Conds(join.on[:])
		}
	}
	if s.where.n > 0 {
		k.Conds(s.where.buf[:s.where.n])
	}
	// The parts after WHERE, absent from most SELECTs, are skipped with one test of the
	// first word rather than one each (callgrind, BenchmarkRender warm, instructions per
	// build+render in the project's own code: Q1 864 -> 852, Q2 2082 -> 2086).
	if w&selectTail == 0 {
		return
	}
	if s.group.n > 0 {
		k.Exprs(s.group.buf[:s.group.n])
	}
	if s.having.n > 0 {
		k.Conds(s.having.buf[:s.having.n])
	}
	if s.order.n > 0 {
		k.Orders(s.order.buf[:s.order.n])
	}
	if s.limit.hasLimit {
		k.Int(s.limit.limit)
	}
	if s.limit.hasOffset {
		k.Int(s.limit.offset)
	}
}

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

// shape describes a single-table INSERT ... VALUES for the shape cache, in writeBody's order.
// INSERT ... SELECT, upserts and WITH are rendered every time.
func (s *InsertStmt) shape(k *expr.Shape) {
	if s.x != nil || s.into == nil {
		k.Unknown()
		return
	}
	k.Word(shapeInsert | flag(s.ignore, 8) | flag(s.defaults, 9))
	k.Source(s.into)
	k.Word(uint64(s.width))
	k.Word(uint64(s.nrows))
	values, returning := s.values(), s.returningList().cols
	k.Word(uint64(len(values)))
	k.Assignments(values)
	k.Word(uint64(len(returning)))
	k.Exprs(returning)
}

// shape describes a single-table UPDATE for the shape cache, in writeBody's order. FROM,
// JOIN, ORDER BY, LIMIT, RETURNING and WITH are rendered every time.
func (s *UpdateStmt) shape(k *expr.Shape) {
	if s.x != nil || s.table == nil {
		k.Unknown()
		return
	}
	k.Word(shapeUpdate | flag(s.allRows, 8))
	k.Source(s.table)
	as, conds := s.assignments(), s.conds()
	k.Word(uint64(len(as)))
	k.Assignments(as)
	k.Word(uint64(len(conds)))
	k.Conds(conds)
}

// shape describes a single-table DELETE for the shape cache, in writeBody's order. USING
// and WITH are rendered every time.
func (s *DeleteStmt) shape(k *expr.Shape) {
	if s.table == nil || len(s.using) > 0 || len(s.with.ctes) > 0 || s.with.recursive {
		k.Unknown()
		return
	}
	k.Word(shapeDelete | flag(s.limit.hasLimit, 8) | flag(s.allRows, 9))
	k.Source(s.table)
	k.Word(uint64(len(s.conds)))
	k.Conds(s.conds)
	k.Word(uint64(len(s.order)))
	k.Orders(s.order)
	if s.limit.hasLimit {
		k.Int(s.limit.limit)
	}
	k.Word(uint64(len(s.returning.cols)))
	k.Exprs(s.returning.cols)
}
