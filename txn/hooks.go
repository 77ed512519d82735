package txn

import "context"

// Hook is a function run after a transaction or savepoint ends: an OnCommit hook after the
// outermost COMMIT succeeded, an OnRollback hook after the work it was registered with was
// rolled back. When the outcome of COMMIT is unknown (ErrCommitUnknown), neither runs: the
// work may be committed or not, and a hook that guessed would act on a falsehood.
type Hook func(ctx context.Context)

// Hooks are hooks due to run, in the order they were registered.
type Hooks []Hook

// Run calls each hook in order with ctx. A hook that panics stops the ones after it; the
// transaction has already ended by then either way.
func (hs Hooks) Run(ctx context.Context) {
	for _, h := range hs {
		h(ctx)
	}
}

// BeforeCommitHook is a function run inside a transaction just before its COMMIT, on the
// transaction's connection: it may run statements, whose work commits with the transaction,
// and returning an error vetoes the COMMIT (the transaction rolls back). Package txn only
// keeps them with the block they were registered in; conn runs them (see Tx.TakeBeforeCommit).
type BeforeCommitHook func(ctx context.Context) error

// hookLists are the hooks one open block holds.
type hookLists struct {
	commit, rollback Hooks
	before           []BeforeCommitHook
}

// moveTo hands a released savepoint's hooks to its parent: its work now commits or rolls back
// with the parent's.
func (h *hookLists) moveTo(parent *hookLists) {
	parent.commit = append(parent.commit, h.commit...)
	parent.rollback = append(parent.rollback, h.rollback...)
	parent.before = append(parent.before, h.before...)
	*h = hookLists{}
}

// rolledBack returns the rollback hooks to run and drops the commit hooks: the work they were
// waiting on is gone.
func (h *hookLists) rolledBack() Hooks {
	hs := h.rollback
	*h = hookLists{}
	return hs
}

// committed returns the commit hooks to run and drops the rollback hooks.
func (h *hookLists) committed() Hooks {
	hs := h.commit
	*h = hookLists{}
	return hs
}
