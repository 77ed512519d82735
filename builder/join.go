package builder

import (
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

type joinKind uint8

const (
	innerJoin joinKind = iota
	leftJoin
	rightJoin
	fullJoin
	crossJoin
)

var joinClause = [...]render.Clause{
	innerJoin: render.ClauseInnerJoin, leftJoin: render.ClauseLeftJoin, rightJoin: render.ClauseRightJoin,
	fullJoin: render.ClauseFullJoin, crossJoin: render.ClauseCrossJoin,
}

// writeJoinKeyword writes the join's keyword, each a constant: Text stores a constant as
// immediates, where the text of a table indexed by kind is copied by a call to memmove
// (callgrind, BenchmarkRender, instructions per build+render: uncacheable Q2 5750 -> 5716).
func writeJoinKeyword(w *expr.Writer, k joinKind) {
	switch k {
	case innerJoin:
		w.Text(" INNER JOIN ")
	case leftJoin:
		w.Text(" LEFT JOIN ")
	case rightJoin:
		w.Text(" RIGHT JOIN ")
	case fullJoin:
		w.Text(" FULL JOIN ")
	default:
		w.Text(" CROSS JOIN ")
	}
}

type join struct {
	src  expr.Source
	kind joinKind
	on   [1]expr.Cond // an array, so that plumb.AppendConds can fill it (see addJoin)
}

// addJoin appends a join, filling it in place: appending a join value would copy its Cond
// with a bulk write barrier (see expr.Plumbing.AppendConds).
func addJoin(js []join, src expr.Source, on expr.Cond, k joinKind) []join {
	n := len(js)
	if n < cap(js) {
		js = js[:n+1]
	} else {
		js = append(js, join{})
	}
	j := &js[n]
	j.src, j.kind = src, k
	plumb.AppendConds(j.on[:0], on)
	return js
}
