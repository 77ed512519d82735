package builder

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// Rows is how many rows the INSERT adds: its VALUES rows, 1 for DEFAULT VALUES, 0 for an
// INSERT ... SELECT (the SELECT decides) or an empty statement.
func (s *InsertStmt) Rows() int {
	switch {
	case s == nil:
		return 0
	case s.defaults:
		return 1
	case s.x != nil && s.x.query != nil:
		return 0
	}
	return int(s.nrows)
}

// Batches cuts an INSERT ... VALUES into statements of whole rows, in order, each binding no
// more arguments than one statement may carry on d (dialect.Capabilities.MaxParams: 65535 on
// PostgreSQL and MySQL/MariaDB, 32766 on SQLite). Every batch keeps the statement's other
// clauses (WITH, ON CONFLICT, RETURNING, IGNORE), so that running the batches in order inserts
// what the whole statement would; conn's DB.InsertBatched runs them in one transaction.
//
//	ins := builder.InsertInto(Products)
//	for _, p := range products { // 20,000 rows of 4 columns: 80,000 arguments
//		ins.Values(Products.SKU.Set(p.SKU), Products.Name.Set(p.Name), Products.Price.Set(p.Price), Products.Stock.Set(p.Stock))
//	}
//	batches := ins.Batches(dialect.SQLite) // 3 statements: 8,191 + 8,191 + 3,618 rows
//
// A statement that fits, has no VALUES rows (INSERT ... SELECT, DEFAULT VALUES) or cannot be
// built is returned whole, as the only batch, and its Build reports what is wrong. A row that
// alone binds more than the limit is a batch of its own, which fails to build. The batches
// share the statement's rows: do not add rows to it while they are in use.
func (s *InsertStmt) Batches(d dialect.Dialect) []*InsertStmt {
	whole := []*InsertStmt{s}
	if s == nil || d == nil || s.nrows < 2 || s.defaults || s.width == 0 || (s.x != nil && (s.x.query != nil || s.x.err != "")) {
		return whole
	}
	limit := d.Caps().MaxParams
	if limit <= 0 {
		return whole
	}
	rows, width, n := s.values(), int(s.width), int(s.nrows)
	if len(rows) != n*width { // rows of different widths: Build names the row
		return whole
	}
	// The clauses other than VALUES (WITH, ON CONFLICT DO UPDATE, RETURNING) bind the same
	// arguments in every batch: what a one-row statement binds beyond its row's own.
	_, args, err := s.batch(0, 1).Build(d)
	if err != nil {
		return whole
	}
	fixed := len(args) - rowArgs(d, rows[:width])
	var out []*InsertStmt
	start, used := 0, fixed
	for r := range n {
		k := rowArgs(d, rows[r*width:(r+1)*width])
		if r > start && used+k > limit {
			out = append(out, s.batch(start, r))
			start, used = r, fixed
		}
		used += k
	}
	if out == nil { // it fits
		return whole
	}
	return append(out, s.batch(start, n))
}

// batch is the statement with only the VALUES rows [from, to). It shares the rows, capped so
// that a Values call on the batch cannot write into the next batch's.
func (s *InsertStmt) batch(from, to int) *InsertStmt {
	b := *s
	w := int(s.width)
	b.rows = s.values()[from*w : to*w : to*w]
	b.nrows = int32(to - from)
	b.nvals = 0
	return &b
}

// rowArgs counts the arguments the assignments bind: one per value, none for NULL and
// DEFAULT, and for an expression what rendering it binds.
func rowArgs(d dialect.Dialect, as []expr.Assignment) int {
	n := 0
	for i := range as {
		k := plumb.AssignedArgs(as[i])
		if k < 0 {
			_, args, _ := expr.Render(d, assignedValue{&as[i]})
			k = len(args)
		}
		n += k
	}
	return n
}

// assignedValue renders an assignment's value alone, to count the arguments it binds.
type assignedValue struct{ a *expr.Assignment }

func (v assignedValue) WriteSQL(w *expr.Writer) { plumb.WriteValue(w, *v.a) }

// WithReturning returns a copy of the statement whose RETURNING clause is cols, replacing any
// it had; s is left as it was. conn.InsertID uses it to ask for the new row's id.
//
//	builder.InsertInto(Users).Values(Users.Name.Set("ann")).WithReturning(Users.ID)
//	// INSERT INTO "users" ("name") VALUES ($1) RETURNING "id"
func (s *InsertStmt) WithReturning(cols ...expr.Expression) *InsertStmt {
	if s == nil {
		return nil
	}
	b := *s
	if b.rows != nil {
		b.rows = b.rows[:len(b.rows):len(b.rows)] // a Values on the copy must not write into s's rows
	}
	b.returning, b.nret, b.retBuf = returning{}, 0, [len(s.retBuf)]expr.Expression{}
	return b.Returning(cols...)
}
