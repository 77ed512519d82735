package render

import "fmt"

// Link is how package builder reaches the parts of package expr that only statements use: the
// writer's Frame (clause and scope), declaring and writing a statement's sources, and the CTE
// and conflict-target helpers. They are unexported in expr, so that expr's documentation
// shows applications only what they use; expr hands them over at init with SetLink, and
// builder takes them once with LinkOf. The type parameters are expr's types, which this
// package cannot import (expr imports it).
//
// A call through a Link is an indirect call that cannot be inlined, and whatever a pointer
// argument points to escapes to the heap (the compiler cannot see the callee). So what a
// render calls once per clause or per part does not go through it (the clause is set through
// the Frame with plain stores; the assignments' methods stay exported), nor does what takes a
// statement's own storage: expr.Shape, RenderShaped and AppendConds stay exported, because as
// function values they made each Build allocate three more times (the Shape, the statement
// and its WriteSQL closure escaping). What remains costs a statement rendered without the
// shape cache three or four indirect calls: callgrind counts 1.5% to 3% more instructions per
// uncacheable render of BenchmarkRender's Q1 to Q4, none per cached one, and no allocation.
type Link[Writer, Source, Assignment, Column any] struct {
	// Frame is the writer's clause and scope, for the statement to set (see Frame).
	Frame func(w *Writer) *Frame
	// SetSoleSource declares src the statement's only source: its columns are written
	// unqualified. With a nil src (several sources, or none) every column is qualified.
	SetSoleSource func(w *Writer, src Source)
	// DeclareCTE records that t names a common table expression from here on, so TablesOf
	// does not report it as a table.
	DeclareCTE func(w *Writer, t Source)

	// WriteSource writes a source as a FROM item: "schema"."name" AS "alias", or a derived
	// table's subquery.
	WriteSource func(w *Writer, src Source)
	// WriteName writes a source's name without alias (INSERT INTO, CTE references).
	WriteName func(w *Writer, src Source)
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
