package expr

// SortKey is one key of a keyset (seek) page: an expression the rows are ordered by, its
// direction, and its value in the cursor row, the last row of the page before. Make one with
// Key; the cursor value has the expression's Go type.
//
// Keys must not be NULL (order by NOT NULL columns), and the last key must make the order
// total (a primary key), or rows are skipped or repeated between pages.
type SortKey struct {
	n    node
	v    any
	desc bool
}

// Key is an ascending sort key on x whose value in the cursor row is cursor. Desc makes it
// descending.
//
//	expr.Key(o.CreatedAt, last.CreatedAt).Desc()
//	expr.Key(o.ID, "x")   // does not compile: o.ID is an int64 column
func Key[T any](x Of[T], cursor T) SortKey { return SortKey{n: ofNode(x), v: cursor} }

// Desc makes the key descending.
func (k SortKey) Desc() SortKey { k.desc = true; return k }

// Asc makes the key ascending (as Key makes it).
func (k SortKey) Asc() SortKey { k.desc = false; return k }

// Order is the key's ORDER BY item: "created_at" DESC.
func (k SortKey) Order() Order { return Order{n: k.n, desc: k.desc} }

// Orders are the keys' ORDER BY items, in the keys' directions (reversed: the opposite ones).
func Orders(reversed bool, keys ...SortKey) []Order {
	os := make([]Order, len(keys))
	for i, k := range keys {
		os[i] = Order{n: k.n, desc: k.desc != reversed}
	}
	return os
}

// keyset is the condition "the row comes after (or before) the cursor in the keys' order".
type keyset struct {
	keys   []SortKey
	before bool
}

// After is true for the rows that come after the cursor in the keys' order: the next page.
// Where every key has the same direction and the engine has row values it is one row-value
// comparison, which an index on the keys serves; keys of mixed directions, or an engine
// without row values, get the comparison spelt out:
//
//	expr.After(expr.Key(o.CreatedAt, t).Desc(), expr.Key(o.ID, id).Desc())
//	// ("created_at", "id") < ($1, $2)
//	expr.After(expr.Key(o.Total, 10.0).Desc(), expr.Key(o.ID, id))
//	// ("total" < $1 OR ("total" = $2 AND "id" > $3))
func After(keys ...SortKey) Cond { return keysetCond(keys, false) }

// Before is true for the rows that come before the cursor in the keys' order: the previous
// page, when the cursor is that page's first row. Read it in the reversed order (Orders(true,
// keys...)) to take the rows nearest the cursor, then reverse them.
func Before(keys ...SortKey) Cond { return keysetCond(keys, true) }

func keysetCond(keys []SortKey, before bool) Cond {
	ks := make([]SortKey, len(keys))
	copy(ks, keys)
	return Cond{op: opTruth, l: node{&keyset{keys: ks, before: before}}}
}

// greater reports whether the rows wanted have key i greater than the cursor's.
func (k *keyset) greater(i int) bool { return k.keys[i].desc == k.before }

func (k *keyset) writeNode(w *Writer) {
	if len(k.keys) == 0 {
		w.Fail(ErrInvalid, "keyset condition without keys")
		return
	}
	same := true
	for i := range k.keys {
		if k.keys[i].n.isEmpty() {
			w.Fail(ErrInvalid, "keyset key without an expression (a zero expr.SortKey)")
			return
		}
		same = same && k.keys[i].desc == k.keys[0].desc
	}
	op := " < "
	if k.greater(0) {
		op = " > "
	}
	switch {
	case len(k.keys) == 1:
		k.keys[0].n.write(w)
		w.Text(op)
		w.Arg(k.keys[0].v)
	case same && w.caps.RowValues:
		w.Char('(')
		for i := range k.keys {
			if i > 0 {
				w.Text(", ")
			}
			k.keys[i].n.write(w)
		}
		w.Text(")")
		w.Text(op)
		w.Char('(')
		for i := range k.keys {
			if i > 0 {
				w.Text(", ")
			}
			w.Arg(k.keys[i].v)
		}
		w.Char(')')
	default:
		k.writeExpanded(w, 0)
	}
}

// writeExpanded writes key i's comparison and, where key i ties, the rest's:
// (a > $1 OR (a = $2 AND (b > $3 OR (b = $4 AND c > $5)))).
func (k *keyset) writeExpanded(w *Writer, i int) {
	key := &k.keys[i]
	op := " < "
	if k.greater(i) {
		op = " > "
	}
	if i == len(k.keys)-1 {
		key.n.write(w)
		w.Text(op)
		w.Arg(key.v)
		return
	}
	w.Char('(')
	key.n.write(w)
	w.Text(op)
	w.Arg(key.v)
	w.Text(" OR (")
	key.n.write(w)
	w.Text(" = ")
	w.Arg(key.v)
	w.Text(" AND ")
	k.writeExpanded(w, i+1)
	w.Text("))")
}
