package conn

import (
	"context"
	"log/slog"
	"strings"
)

// unfilled lists the Go paths of the struct's fields that no column in taken fills. A
// nested struct no column reaches is listed as itself, not field by field; the fields of one
// that a column fills whole (a JSON document) are not listed.
func (ix *fieldIndex) unfilled(taken map[*field]string) []string {
	used := map[*field]bool{} // nested struct fields some column inside reaches
	for f := range taken {
		for h := f.head; h != nil; h = h.head {
			used[h] = true
		}
	}
	var out []string
	for _, f := range ix.all {
		if taken[f] != "" || f.nests && used[f] {
			continue
		}
		covered := false
		for h := f.head; h != nil && !covered; h = h.head {
			covered = taken[h] != "" || !used[h]
		}
		if !covered {
			out = append(out, f.path)
		}
	}
	return out
}

// reportUnfilled logs, once per plan, the struct fields no column of the result fills: a
// column left out of the SELECT, or a tag that does not match the column's name, leaves a
// field at its zero value without an error. It is the debug mode of the fetch functions: it
// reports only when the DB's logger takes debug records (see WithLogger), at warning level.
//
//	level=WARN msg="conn: struct fields no column fills" type=app.User fields="User.Email, User.Team" columns="id, name"
func (sc *rowScanner[T]) reportUnfilled(ctx context.Context) {
	p := sc.plan
	if p == nil || len(p.unfilled) == 0 || p.reported.Load() {
		return
	}
	lg := sc.q.t.h.obs.debugLogger(ctx)
	if lg == nil || !p.reported.CompareAndSwap(false, true) {
		return
	}
	lg.LogAttrs(ctx, slog.LevelWarn, "conn: struct fields no column fills",
		slog.String("type", sc.rt.typ.String()),
		slog.String("fields", strings.Join(p.unfilled, ", ")),
		slog.String("columns", strings.Join(p.cols, ", ")))
}
