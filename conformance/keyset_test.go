package conformance

import (
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// noRowValues is an engine's dialect as if it had no row values: keyset conditions are
// spelt out key by key.
type noRowValues struct{ dialect.Dialect }

func (d noRowValues) Caps() dialect.Capabilities {
	c := d.Dialect.Caps()
	c.RowValues = false
	return c
}

// TestKeysetPaging walks the stamps page by page, forwards with SeekFirst and SeekAfter and
// backwards with SeekBefore, in orders of one direction (a row-value comparison) and of mixed
// directions, with the engine's dialect and with row values spelt out, and checks that the
// pages put together are the whole table in order, each row once.
func TestKeysetPaging(t *testing.T) {
	s := stamps
	type order struct {
		name string
		keys func(r stampRow) []expr.SortKey
		want []int64 // every id, in the order
	}
	orders := []order{{
		name: "at DESC, id DESC",
		keys: func(r stampRow) []expr.SortKey {
			return []expr.SortKey{expr.Key(s.At, r.at).Desc(), expr.Key(s.ID, r.id).Desc()}
		},
		want: []int64{5, 4, 3, 2, 1},
	}, {
		name: "score ASC, id ASC",
		keys: func(r stampRow) []expr.SortKey {
			return []expr.SortKey{expr.Key(s.Score, r.score), expr.Key(s.ID, r.id)}
		},
		want: []int64{4, 1, 2, 3, 5},
	}, {
		// A key may be an expression; lower case, so that every engine's collation agrees.
		name: "score DESC, LOWER(label) ASC, id DESC",
		keys: func(r stampRow) []expr.SortKey {
			return []expr.SortKey{expr.Key(s.Score, r.score).Desc(),
				expr.Key(expr.Lower(s.Label), strings.ToLower(r.label)), expr.Key(s.ID, r.id).Desc()}
		},
		want: []int64{5, 2, 3, 1, 4},
	}}
	byID := map[int64]stampRow{}
	for _, r := range stampRows {
		byID[r.id] = r
	}
	testcontainers.ForEach(t, func(t *testing.T, db *testcontainers.Database) {
		createSchema(t, db)
		createStamps(t, db)
		base := dialectFor(db)
		page := func(d dialect.Dialect, q *builder.SelectStmt) []int64 {
			t.Helper()
			query, args, err := q.Build(d)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, row := range queryInts(t, db, query, args...) {
				out = append(out, int64(row))
			}
			return out
		}
		for _, o := range orders {
			for _, d := range []dialect.Dialect{base, noRowValues{base}} {
				var zero stampRow
				var forward []int64
				ids := page(d, builder.Select(s.ID).From(s).Limit(2).SeekFirst(o.keys(zero)...))
				for len(ids) > 0 && len(forward) <= len(stampRows) {
					forward = append(forward, ids...)
					last := byID[ids[len(ids)-1]]
					ids = page(d, builder.Select(s.ID).From(s).Limit(2).SeekAfter(o.keys(last)...))
				}
				if !slices.Equal(forward, o.want) {
					t.Errorf("%s, %T: forward pages give %v, want %v", o.name, d, forward, o.want)
				}
				// Backwards from the last row: each page comes nearest the cursor first.
				var backward []int64
				cursor := byID[o.want[len(o.want)-1]]
				for len(backward) <= len(stampRows) {
					ids := page(d, builder.Select(s.ID).From(s).Limit(2).SeekBefore(o.keys(cursor)...))
					if len(ids) == 0 {
						break
					}
					slices.Reverse(ids)
					backward = append(ids, backward...)
					cursor = byID[ids[0]]
				}
				if want := o.want[:len(o.want)-1]; !slices.Equal(backward, want) {
					t.Errorf("%s, %T: backward pages give %v, want %v", o.name, d, backward, want)
				}
			}
		}
	})
}
