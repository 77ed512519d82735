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
	// Without an extension every list is in its inline array. The first word says which
	// lists are not empty, so that an empty one costs no word and no call.
	cols, joins, where := s.cols.items(nil), s.joins.items(nil), s.where.items(nil)
	group, having, order := s.group.items(nil), s.having.items(nil), s.order.items(nil)
	k.Word(shapeSelect | flag(s.distinct, 8) | uint64(s.lock.strength)<<9 | uint64(s.lock.wait)<<11 |
		flag(s.limit.hasLimit, 13) | flag(s.limit.hasOffset, 14) | flag(s.from != nil, 15) |
		flag(len(joins) > 0, 16) | flag(len(where) > 0, 17) | flag(len(group) > 0, 18) |
		flag(len(having) > 0, 19) | flag(len(order) > 0, 20))
	k.Exprs(cols)
	if s.from != nil {
		k.Source(s.from)
	}
	if len(joins) > 0 {
		k.Word(uint64(len(joins)))
		for i := range joins {
			j := &joins[i]
			k.Word(uint64(j.kind))
			k.Source(j.src)
			if j.kind != crossJoin {
				k.Conds(j.on[:])
			}
		}
	}
	if len(where) > 0 {
		k.Conds(where)
	}
	if len(group) > 0 {
		k.Exprs(group)
	}
	if len(having) > 0 {
		k.Conds(having)
	}
	if len(order) > 0 {
		k.Orders(order)
	}
	if s.limit.hasLimit {
		k.Int(s.limit.limit)
	}
	if s.limit.hasOffset {
		k.Int(s.limit.offset)
	}
}

// flag is b as bit n of a shape word.
func flag(b bool, n uint) uint64 {
	if b {
		return 1 << n
	}
	return 0
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
	k.Assignments(s.values())
	k.Exprs(s.returningList().cols)
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
	k.Assignments(s.assignments())
	k.Conds(s.conds())
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
	k.Conds(s.conds)
	k.Orders(s.order)
	if s.limit.hasLimit {
		k.Int(s.limit.limit)
	}
	k.Exprs(s.returning.cols)
}
