package builder

import (
	"strconv"

	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// WithQuery is one common table expression: a name (a table descriptor, whose columns name the
// CTE's columns) and its query. Make it with CTE or CTESelect.
type WithQuery struct {
	t expr.Source
	q expr.Query
	// assigns, from CTESelect, are the CTE's columns and the values of sel's select list.
	sel     *SelectStmt
	assigns []expr.Assignment
}

// CTE names q with the descriptor t for a WITH clause:
//
//	builder.Select(Top.UserID).From(Top).With(builder.CTE(Top, sub))
//	// WITH "top" ("user_id", "total") AS (SELECT ...) SELECT "user_id" FROM "top"
//
// q's select items bind to t's columns by name, as with expr.FromQuery: a column item binds to
// t's column of the same name, an item named with As to the column of its alias, wherever they
// stand in the list. An item with neither (an aggregate without As) takes t's column at its
// position, unless another item names that column; a named item that is not one of t's
// columns, an item left without a column, or a column left without an item fails to build.
// The column list is written in q's order, so it can never swap two columns' values. (A query
// whose select list is not a builder's, such as DELETE ... RETURNING, binds by position.)
// CTESelect checks the pairing at compile time instead.
//
// Reference the CTE as a Source (From(Top)); it is not reported by Tables().
func CTE(t expr.Source, q expr.Query) WithQuery { return WithQuery{t: t, q: q} }

// CTESelect names sel with the descriptor t for a WITH clause, with sel's select list given as
// typed assignments to t's columns, as in INSERT ... SELECT: each value's Go type is checked
// against its column's by the compiler, and every column of t must be assigned once.
//
//	builder.CTESelect(Totals, builder.Select().From(Orders).GroupBy(Orders.UserID),
//		Totals.Sum.SetExpr(expr.Sum(Orders.Total)), Totals.UserID.SetExpr(Orders.UserID))
//	// WITH "totals" ("sum", "user_id") AS (SELECT SUM("total"), "user_id" FROM "orders" GROUP BY "user_id")
//
// sel's own select items, if any, are ignored.
func CTESelect(t expr.Source, sel *SelectStmt, assigns ...expr.Assignment) WithQuery {
	return WithQuery{t: t, q: sel, sel: sel, assigns: assigns}
}

// with is the WITH clause shared by all statements.
type with struct {
	ctes      []WithQuery
	recursive bool
}

func (c *with) add(recursive bool, ctes []WithQuery) {
	c.ctes = append(c.ctes, ctes...)
	c.recursive = c.recursive || recursive
}

func (c *with) write(w *expr.Writer) {
	f := plumb.Frame(w)
	if len(c.ctes) == 0 {
		return
	}
	prev := f.SetClause(render.ClauseWith)
	// Declare every name first: a recursive CTE refers to itself, and later CTEs to earlier ones.
	for _, q := range c.ctes {
		if q.t == nil {
			w.Fail(expr.ErrInvalid, "CTE without a name descriptor")
			f.Clause = prev
			return
		}
		plumb.DeclareCTE(w, q.t)
	}
	w.Text("WITH ")
	if c.recursive {
		w.Text("RECURSIVE ")
	}
	for i := range c.ctes {
		if i > 0 {
			w.Text(", ")
		}
		c.ctes[i].write(w)
	}
	w.Char(' ')
	f.Clause = prev
}

// write writes name (columns) AS (query).
func (q *WithQuery) write(w *expr.Writer) {
	plumb.WriteName(w, q.t)
	if q.assigns != nil {
		q.writeAssigned(w)
		return
	}
	if names := q.columnList(w); len(names) > 0 {
		w.Text(" (")
		for j, n := range names {
			if j > 0 {
				w.Text(", ")
			}
			w.Ident(n)
		}
		w.Char(')')
	}
	w.Text(" AS (")
	if q.q == nil {
		w.Fail(expr.ErrInvalid, "CTE without a query")
	} else {
		q.q.WriteSQL(w)
	}
	w.Char(')')
}

// writeAssigned writes a CTESelect: the assigned columns, then sel with their values.
func (q *WithQuery) writeAssigned(w *expr.Writer) {
	checkAssignments(w, q.t, q.assigns)
	if t, ok := q.t.(interface{ ColumnNames() []string }); ok {
		for _, name := range t.ColumnNames() {
			assigned := false
			for _, a := range q.assigns {
				assigned = assigned || a.ColumnName() == name
			}
			if !assigned {
				w.Fail(expr.ErrInvalid, "CTE "+cteName(q.t)+": column "+strconv.Quote(name)+" has no value")
				return
			}
		}
	}
	w.Text(" (")
	for j := range q.assigns {
		if j > 0 {
			w.Text(", ")
		}
		plumb.WriteColumn(w, q.assigns[j], false)
	}
	w.Text(") AS (")
	if q.sel == nil {
		w.Fail(expr.ErrInvalid, "CTE without a query")
	} else {
		q.sel.write(w, q.assigns)
	}
	w.Char(')')
}

// columnList is the CTE's column list in the order of the query's select items: each item's
// column, found by its name (see CTE). It fails w when an item and a column do not pair up.
func (q *WithQuery) columnList(w *expr.Writer) []string {
	t, ok := q.t.(interface{ ColumnNames() []string })
	if !ok {
		return nil
	}
	cols := t.ColumnNames()
	items := selectList(q.q)
	if items == nil || len(cols) == 0 {
		return cols // not a builder's SELECT: by position
	}
	fail := func(reason string) []string {
		w.Fail(expr.ErrInvalid, "CTE "+cteName(q.t)+": "+reason)
		return nil
	}
	if len(items) != len(cols) {
		return fail("the query has " + strconv.Itoa(len(items)) + " select items for " + strconv.Itoa(len(cols)) + " columns")
	}
	names := make([]string, len(items))
	named := make(map[string]bool, len(items))
	for i, it := range items {
		n := itemName(it)
		if n == "" {
			continue
		}
		if !contains(cols, n) {
			return fail("select item " + strconv.Itoa(i+1) + " is named " + strconv.Quote(n) + ", which is not one of its columns " + quoteList(cols))
		}
		if named[n] {
			return fail("two select items are named " + strconv.Quote(n))
		}
		named[n], names[i] = true, n
	}
	for i := range names {
		if names[i] != "" {
			continue
		}
		if named[cols[i]] {
			return fail("select item " + strconv.Itoa(i+1) + " has no name, and column " + strconv.Quote(cols[i]) +
				" at its position is named by another item: name it with As")
		}
		names[i] = cols[i]
	}
	return names
}

// selectList is the select list of a builder query (of the first operand of a set operation),
// or nil when q is not one.
func selectList(q expr.Query) []expr.Expression {
	switch x := q.(type) {
	case interface{ selectStmt() *SelectStmt }:
		if s := x.selectStmt(); s != nil {
			return s.columns()
		}
	case *SetStmt:
		if x != nil && len(x.parts) > 0 {
			return selectList(x.parts[0].q)
		}
	}
	return nil
}

func (s *SelectStmt) selectStmt() *SelectStmt { return s }

// itemName is the name a select item gives its result column: a column's name, an alias, or
// "" for an expression the engine names its own way.
func itemName(e expr.Expression) string {
	switch x := e.(type) {
	case interface{ Alias() string }:
		return x.Alias()
	case expr.AnyColumn:
		return x.ColumnName()
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(names []string) string {
	b := []byte{'('}
	for i, n := range names {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendQuote(b, n)
	}
	return string(append(b, ')'))
}

func cteName(t expr.Source) string {
	if n := t.TableName(); n != "" {
		return strconv.Quote(n)
	}
	return "(unnamed)"
}

// writeDML writes the WITH clause of an INSERT, UPDATE or DELETE, where not every engine
// accepts one; it reports whether rendering may go on.
func (c *with) writeDML(w *expr.Writer, stmt string) bool {
	f := plumb.Frame(w)
	if len(c.ctes) > 0 && !w.Caps().WithDML {
		f.SetClause(render.ClauseWith)
		w.Unsupported("WITH ... " + stmt)
		return false
	}
	c.write(w)
	return true
}
