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
	k.Word(shapeSelect | flag(s.distinct, 8) | uint64(s.lock.strength)<<9 | uint64(s.lock.wait)<<11 |
		flag(s.limit.hasLimit, 13) | flag(s.limit.hasOffset, 14) | flag(s.from != nil, 15))
	k.Exprs(s.cols.items(nil))
	if s.from != nil {
		k.Source(s.from)
	}
	joins := s.joins.items(nil)
	k.Word(uint64(len(joins)))
	for i := range joins {
		j := &joins[i]
		k.Word(uint64(j.kind))
		k.Source(j.src)
		if j.kind != crossJoin {
			k.Conds(j.on[:])
		}
	}
	k.Conds(s.where.items(nil))
	k.Exprs(s.group.items(nil))
	k.Conds(s.having.items(nil))
	k.Orders(s.order.items(nil))
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
