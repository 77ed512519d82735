package render

import "fmt"

// Link is how package builder reaches the parts of package expr that only statements use and
// that a render calls rarely: CTE names, the conflict target of an upsert, a MySQL DELETE's
// table reference, the hint of an INSERT of many rows, and counting an assignment's
// arguments for batching. They are unexported in expr, so that expr's documentation shows
// applications only what they use; expr hands them over at init with SetLink, and builder
// takes them once with LinkOf. The type parameters are expr's types, which this package
// cannot import (expr imports it).
//
// A call through a Link is an indirect call that cannot be inlined, and whatever a pointer
// argument points to escapes to the heap (the compiler cannot see the callee). So what every
// render calls stays exported in expr, as direct calls: Writer.Frame, SetSoleSource, the
// walks of a statement's parts (WalkConds... Key and SQL), Source's WriteSource and WriteName,
// Assignment's methods, and Shape, RenderShaped and AppendConds (through a Link, the first ones cost an uncacheable
// render 1.5% to 3% more instructions, and the last ones three allocations per Build).
type Link[Writer, Source, Assignment, Column any] struct {
	// DeclareCTE records that t names a common table expression from here on, so TablesOf
	// does not report it as a table.
	DeclareCTE func(w *Writer, t Source)

	// WriteRef writes how columns refer to a table (its alias, else its name); false if src
	// is not a table, having written nothing.
	WriteRef func(w *Writer, src Source) bool
	// WriteColumnName writes c's name alone, unqualified: "email".
	WriteColumnName func(w *Writer, c Column)
	// ReserveArgs is a hint that about n more arguments follow, each with its placeholder
	// and a separator (an INSERT's VALUES rows): the writer makes room for them at once.
	ReserveArgs func(w *Writer, n int)
	// ColumnOfSource reports whether c is one of src's columns.
	ColumnOfSource func(c Column, src Source) bool
	// AssignedArgs is how many arguments an assignment's value binds when written: 1 for a
	// value, 0 for NULL and DEFAULT, -1 for an expression (only writing it tells).
	AssignedArgs func(a Assignment) int
}

var link any

// SetLink is called by expr at init.
func SetLink[W, S, A, C any](l *Link[W, S, A, C]) { link = l }

// LinkOf is the Link expr set; builder calls it at init (expr's init has run: builder imports
// expr). Type arguments other than expr's panic, which any test of builder shows.
func LinkOf[W, S, A, C any]() *Link[W, S, A, C] {
	l, ok := link.(*Link[W, S, A, C])
	if !ok {
		panic(fmt.Sprintf("render: LinkOf with other types than expr's SetLink: %T", link))
	}
	return l
}
