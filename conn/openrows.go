package conn

import "sync"

// openRows is the one registry of the result sets made on a pinned connection and not
// finished yet. A WithConn scope and the atomic blocks on its connection share one; a block
// whose connection no WithConn pinned has its own in its transaction's state. Each result
// set is made through a scope, whose depth says which block made it (0: none, 1: the
// transaction, 2 and more: nested blocks).
//
// Whoever ends a block or gives the connection back closes what is still open: an open result
// set keeps the connection busy, so that PostgreSQL refuses the COMMIT ("conn busy"),
// database/sql waits for it for ever before giving the connection back, and pgx refuses the
// next statement.
type openRows struct {
	mu   sync.Mutex
	rows []*stmtRows
}

// add records a result set made through a scope of the connection, until it finishes.
func (o *openRows) add(r *stmtRows) {
	o.mu.Lock()
	o.rows = append(o.rows, r)
	o.mu.Unlock()
}

// remove forgets a finished result set.
func (o *openRows) remove(r *stmtRows) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i, x := range o.rows {
		if x == r {
			o.drop(i)
			return
		}
	}
}

// drop removes entry i, the caller holding mu.
func (o *openRows) drop(i int) {
	last := len(o.rows) - 1
	o.rows[i], o.rows[last] = o.rows[last], nil
	o.rows = o.rows[:last]
}

// closeFrom closes the result sets still open that scopes at depth or deeper made: the block at
// depth and the blocks nested in it, or, from 0, every one.
func (o *openRows) closeFrom(depth int) {
	o.mu.Lock()
	var left []*stmtRows
	for i := 0; i < len(o.rows); {
		if r := o.rows[i]; r.t.sc.depth >= depth {
			left = append(left, r)
			o.drop(i)
			continue
		}
		i++
	}
	o.mu.Unlock()
	for _, r := range left {
		r.Close()
	}
}
