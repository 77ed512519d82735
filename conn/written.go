package conn

import (
	"slices"
	"sync"
)

// writeLog remembers which tables a transaction's statements may have written, for its
// BeforeCommit hooks: the builder statements that are not reads (IsRead), as they run. SQL
// text lists no tables and is not remembered.
//
// A transaction that never asks pays no walk over its statements: the log keeps the statements
// themselves and reads their Tables() only when a hook asks, or when it holds foldAt of them,
// so that a long transaction keeps a few table names rather than every statement (and its
// bound values) it ran.
type writeLog struct {
	mu     sync.Mutex
	stmts  []tableLister // not yet read, in the order they ran
	tables []string      // read from statements that ran before stmts, distinct, in first-write order
	// folded is how many statements tables holds, so that a nested block's mark (a count of
	// statements) still says where its writes begin.
	folded int
	buf    [foldAt]tableLister
}

// foldAt is how many statements the log keeps before reading their tables.
const foldAt = 8

// note records a statement about to run in the transaction, if it may write tables.
func (w *writeLog) note(stmt Statement) {
	if IsRead(stmt) {
		return
	}
	tl, ok := unwrapReadOnly(stmt).(tableLister)
	if !ok {
		return
	}
	w.mu.Lock()
	if w.stmts == nil {
		w.stmts = w.buf[:0]
	}
	if len(w.stmts) == foldAt {
		w.foldLocked()
	}
	w.stmts = append(w.stmts, tl)
	w.mu.Unlock()
}

func (w *writeLog) foldLocked() {
	for _, s := range w.stmts {
		for _, t := range s.Tables() {
			if !slices.Contains(w.tables, t) {
				w.tables = append(w.tables, t)
			}
		}
	}
	w.folded += len(w.stmts)
	clear(w.stmts)
	w.stmts = w.stmts[:0]
}

// mark returns the position a nested block's writes begin at.
func (w *writeLog) mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.folded + len(w.stmts)
}

// rollBackTo forgets the statements after mark: their block was rolled back. Statements
// already folded into table names cannot be told apart and stay (the list may name a table
// too many, never one too few).
func (w *writeLog) rollBackTo(mark int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if keep := mark - w.folded; keep >= 0 && keep < len(w.stmts) {
		clear(w.stmts[keep:])
		w.stmts = w.stmts[:keep]
	}
}

// reset forgets everything: the transaction ended.
func (w *writeLog) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	clear(w.stmts)
	w.stmts, w.tables, w.folded = w.stmts[:0], nil, 0
}

// list returns the distinct tables written so far, in the order they were first written.
func (w *writeLog) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.foldLocked()
	return slices.Clone(w.tables)
}
