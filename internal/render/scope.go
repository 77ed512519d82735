package render

// Scope decides how column references are qualified. Statements set it around their clauses
// (expr.Plumbing.SetSoleSource, Frame.SetBare) and save and restore it around nested statements (the
// Frame's Scope field): a column of the statement's only table is written bare ("id"), any
// other column qualified ("u"."id"), so a correlated subquery never captures an outer column
// by mistake.
type Scope struct {
	// Sole is the sole source's table descriptor, kept only to compare with: as a uintptr,
	// saving and restoring a scope stores no pointer into the (heap) writer, so it needs no
	// write barrier. The statement being rendered keeps the descriptor alive, and Go's heap
	// does not move objects. 0: no sole source, every column is qualified. (expr makes it
	// with unsafe.Pointer. The descriptor's id, a number without unsafe, cost a column a load
	// more: callgrind, BenchmarkRender, instructions per build+render, uncacheable Q1 2064 ->
	// 2087, Q2 5341 -> 5374, first render Q1 2609 -> 2634.)
	Sole uintptr
	// Bare makes every column unqualified (INSERT column lists, a set operation's ORDER BY).
	Bare bool
	// NoSource: the statement has no FROM, so a column reference is an error (it would fail
	// on the server, or worse, bind to an outer query's table).
	NoSource bool
}
