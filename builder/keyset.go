package builder

import "github.com/typedsql/typedsql/expr"

// Keyset (seek) pagination: a page is the rows after a cursor, the last row of the page
// before, in a total order, read with LIMIT. Unlike OFFSET it reads only the page's rows
// (an index on the keys serves it) and does not skip or repeat rows when rows are added
// between pages. The keys carry the cursor's values, typed by their columns:
//
//	keys := []expr.SortKey{expr.Key(o.CreatedAt, cur.CreatedAt).Desc(), expr.Key(o.ID, cur.ID).Desc()}
//	q := builder.Select(o.ID, o.CreatedAt).From(o).Limit(20)
//	q.SeekFirst(keys...)   // first page:  ORDER BY "created_at" DESC, "id" DESC LIMIT 20
//	q.SeekAfter(keys...)   // next page:   WHERE ("created_at", "id") < ($1, $2) ORDER BY ...
//
// SeekFirst, SeekAfter and SeekBefore add the ORDER BY themselves; add no other.

// SeekFirst orders the statement by the keys, for the first page; the keys' cursor values
// are not used.
func (s *SelectStmt) SeekFirst(keys ...expr.SortKey) *SelectStmt {
	return s.OrderBy(expr.Orders(false, keys...)...)
}

// SeekAfter selects the rows after the cursor in the keys' order, in that order: the next
// page. See expr.After for the condition it writes.
func (s *SelectStmt) SeekAfter(keys ...expr.SortKey) *SelectStmt {
	return s.Where(expr.After(keys...)).OrderBy(expr.Orders(false, keys...)...)
}

// SeekBefore selects the rows before the cursor in the keys' order, the cursor being the
// first row of the page shown: the previous page. They come nearest the cursor first, in
// the reverse of the keys' order, so that LIMIT keeps the right ones: reverse them
// (slices.Reverse) to show them.
func (s *SelectStmt) SeekBefore(keys ...expr.SortKey) *SelectStmt {
	return s.Where(expr.Before(keys...)).OrderBy(expr.Orders(true, keys...)...)
}
