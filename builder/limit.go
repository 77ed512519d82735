package builder

import (
	"strconv"

	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

type limitOffset struct {
	limit, offset       int64
	hasLimit, hasOffset bool
}

func (l *limitOffset) write(w *expr.Writer) {
	if l.hasLimit {
		w.Text(" LIMIT ")
		w.Int(l.limit)
	} else if l.hasOffset && w.Caps().LimitAll != "" {
		// MySQL and SQLite have no OFFSET without LIMIT.
		w.Text(" LIMIT ")
		w.Text(w.Caps().LimitAll)
	}
	if l.hasOffset {
		w.Text(" OFFSET ")
		w.Int(l.offset)
	}
}

func writeLimit(w *expr.Writer, f *render.Frame, l *limitOffset) {
	if !l.hasLimit && !l.hasOffset {
		return
	}
	f.SetClause(render.ClauseLimit)
	if l.limit < 0 || l.offset < 0 {
		w.Fail(expr.ErrInvalid, "negative LIMIT or OFFSET ("+strconv.FormatInt(min(l.limit, l.offset), 10)+")")
		return
	}
	l.write(w)
}
