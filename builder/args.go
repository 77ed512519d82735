package builder

import (
	"sync/atomic"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// argStore lends a statement's inline argument storage to its first Build: most statements are
// built once, and this saves allocating the args slice for them. Later Builds (or a Build
// racing the first) get a fresh slice, so a returned args slice is never written again by
// typedsql; its capacity is its length, so a caller's append copies it.
type argStore struct {
	taken atomic.Bool
	buf   [4]any
}

func (a *argStore) take() []any {
	if a.taken.Load() || !a.taken.CompareAndSwap(false, true) {
		return nil
	}
	return a.buf[:0:len(a.buf)]
}

func build(d dialect.Dialect, s expr.Expression, a *argStore) (string, []any, error) {
	sql, args, err := expr.RenderTo(d, s, a.take())
	if len(args) == 0 {
		args = nil
	}
	return sql, args, err
}
