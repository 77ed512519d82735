package expr

// Plumbing is what the builder package's statements (and package conn's COPY) use of this
// package beyond the API an application uses: the walks of a statement's parts (WalkConds...
// Key and SQL, generated from walk.go), the shape cache (RenderShaped), the writer's frame
// (Frame, SetSoleSource), and helpers for assignments, sources and CTEs. Its methods are not
// documented in this package's API and may change with the builder package; an application
// has no use for them.
//
// They are methods of a value rather than functions so that this package's documentation
// lists this one variable instead of some thirty names, and they remain direct calls the
// compiler inlines: through function values (the render.Link this replaced) each was an
// indirect call, which cost an uncacheable render 1.5% to 3% more instructions, and
// made a statement's storage passed to it escape to the heap.
var Plumbing plumbing

// plumbing is Plumbing's type; see there.
type plumbing struct{}

// WriteSource writes src as a FROM item: "schema"."name" AS "alias", or (subquery) AS "name".
func (plumbing) WriteSource(w *Writer, src Source) { src.writeSource(w) }

// WriteName writes src's name without alias: the target of INSERT INTO, a CTE reference.
func (plumbing) WriteName(w *Writer, src Source) { src.writeName(w) }

// DeclareCTE records that t names a common table expression from here on, so TablesOf does
// not report it as a table.
func (plumbing) DeclareCTE(w *Writer, t Source) { w.declareCTE(t) }

// WriteRef writes how columns refer to src, a table: its alias, else its name. It reports
// false, having written nothing, if src is not a table (a derived table has no name to refer
// by).
func (plumbing) WriteRef(w *Writer, src Source) bool {
	t, ok := src.(interface{ writeRef(*Writer) })
	if ok {
		t.writeRef(w)
	}
	return ok
}

// WriteColumnName writes c's name alone, unqualified: "email".
func (plumbing) WriteColumnName(w *Writer, c AnyColumn) { w.writeColumnName(c) }

// ReserveArgs is a hint that about n more arguments follow, each with its placeholder and a
// separator (an INSERT's VALUES rows): the writer makes room for them at once.
func (plumbing) ReserveArgs(w *Writer, n int) { w.reserveArgs(n) }

// ColumnOfSource reports whether c is one of src's columns.
func (plumbing) ColumnOfSource(c AnyColumn, src Source) bool { return columnOfSource(c, src) }

// AssignedArgs is how many arguments an assignment's value binds when written: 1 for a
// value, 0 for NULL and DEFAULT, -1 for an expression (only writing it tells).
func (plumbing) AssignedArgs(a Assignment) int { return a.args() }
