package render

// Frame is what a statement sets around its clauses: the clause being written, for error
// messages, and the scope that qualifies column references. It lives in expr's Writer, which
// reads it when writing a column or recording an error; a statement gets it with
// expr.Plumbing.Frame once and then sets it with plain stores, about ten times per statement.
type Frame struct {
	Clause Clause
	Scope  Scope
}

// SetClause sets the clause being written and returns the previous one, for the caller to
// restore.
func (f *Frame) SetClause(c Clause) (prev Clause) {
	prev, f.Clause = f.Clause, c
	return prev
}

// SetNoSource declares that the statement has no source (a SELECT without FROM): writing a
// column of any table then fails the statement, naming the column.
func (f *Frame) SetNoSource() { f.Scope = Scope{NoSource: true} }

// SetBare makes every column render unqualified (INSERT column lists, the ORDER BY of a set
// operation) and returns the previous setting.
func (f *Frame) SetBare(bare bool) (prev bool) {
	prev, f.Scope.Bare = f.Scope.Bare, bare
	return prev
}
