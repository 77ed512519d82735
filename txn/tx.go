package txn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

// Conn is the one connection a transaction runs on. Exec runs one transaction control
// statement (it has no arguments) and reports the engine's error as it is.
type Conn interface {
	Exec(ctx context.Context, s Control) error
}

// Control is one transaction control operation (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE
// SAVEPOINT, ROLLBACK TO SAVEPOINT), described for tracing as well as rendered. It is not a
// query: it has no arguments and returns no rows, which is why it is not named Statement like
// the builder's statements and what conn executes. It is one SQL statement, except where the
// engine needs one before it: MySQL's SET TRANSACTION ISOLATION LEVEL comes before START
// TRANSACTION, and the two are one BEGIN.
//
//	txn.Control{Op: txn.OpSavepoint, Depth: 2, Savepoint: "sp1", SQL: `SAVEPOINT "sp1"`}   // PostgreSQL
type Control struct {
	Op        Op
	Depth     int    // 1 for the transaction, 2 for the first savepoint inside it, ...
	Savepoint string // the savepoint's name, unquoted, for the savepoint operations
	// Before are statements to run first, in order, as part of the same operation.
	Before []string
	SQL    string
}

// Op is a transaction control operation.
type Op uint8

// The operations, in the order conn's tracing names them.
const (
	OpBegin      Op = iota + 1 // BEGIN (or SET TRANSACTION / START TRANSACTION)
	OpCommit                   // COMMIT
	OpRollback                 // ROLLBACK
	OpSavepoint                // SAVEPOINT name
	OpRelease                  // RELEASE SAVEPOINT name
	OpRollbackTo               // ROLLBACK TO SAVEPOINT name
)

// AbortReporter is implemented by a Conn that can tell, without a round trip, that a failed
// statement has aborted the transaction (PostgreSQL: every statement but ROLLBACK fails until
// the transaction or a savepoint is rolled back, and COMMIT silently rolls back). Tx then rolls
// back instead of sending a COMMIT or RELEASE that cannot succeed.
type AbortReporter interface {
	Aborted() bool
}

// ClosedReporter is implemented by a Conn that can tell, without a round trip, that its
// connection has closed (pgx knows; database/sql drivers do not say). Tx then sends no
// ROLLBACK on it, which could only fail: the engine rolls back the transaction of a session
// that ended.
type ClosedReporter interface {
	Closed() bool
}

var (
	// ErrAborted: the transaction or savepoint could not commit because a statement in it
	// failed and the engine aborted it (PostgreSQL); it was rolled back instead.
	ErrAborted = errors.New("txn: transaction aborted by a failed statement")
	// ErrEnded: the transaction has already committed or rolled back.
	ErrEnded = errors.New("txn: the transaction has ended")
	// ErrNoSavepoints: the engine has no savepoints, so a block cannot nest.
	ErrNoSavepoints = errors.New("txn: the engine has no savepoints: a nested block cannot roll back alone")
	// ErrCommitUnknown: COMMIT was sent but no reply proves what became of it (the
	// connection broke or timed out before the reply came), so the transaction may have
	// committed or not. A Conn reports it by returning from the COMMIT an error that matches
	// it (errors.Is); Tx then runs neither the commit nor the rollback hooks, sends no
	// ROLLBACK, and leaves the connection unclean, to be discarded. RetryPolicy never runs a
	// block again after it: its work may be in the database already.
	ErrCommitUnknown = errors.New("txn: the outcome of COMMIT is unknown")
)

// CleanupTimeout bounds each ROLLBACK and COMMIT. They run on a context without the caller's
// cancellation: a cancelled context is the commonest reason to roll back, and a COMMIT cut off
// mid-way would leave unknown whether the work committed. The timeout keeps a dead server from
// holding them forever.
const CleanupTimeout = 5 * time.Second

// Tx is one open transaction on one connection: the stack of its open blocks (depth 1 is the
// transaction itself, each deeper level a savepoint) with their hooks. Its methods may be called
// from several goroutines; the statements it sends are serialised.
type Tx struct {
	mu     sync.Mutex
	d      dialect.Dialect
	c      Conn
	opts   Options
	begin  []string
	frames []hookLists    // frames[i] is the block at depth i+1
	sps    []savepointSQL // sps[i] is the savepoint at depth i+2, shared per dialect
	// framesBuf backs frames for the usual shallow nesting, saving an allocation.
	framesBuf [4]hookLists
	active    bool  // a transaction is open on the connection
	clean     bool  // ended, and the connection is known to be outside any transaction
	fault     error // set when the transaction can no longer commit
}

// Begin validates o against d and starts a transaction on c. On error no transaction is open,
// but the connection's session state is unknown (a MySQL SET TRANSACTION may still be pending):
// the caller should discard the connection.
//
//	BEGIN ISOLATION LEVEL SERIALIZABLE         -- PostgreSQL
//	SET TRANSACTION ...; START TRANSACTION     -- MySQL/MariaDB
//	BEGIN IMMEDIATE                            -- SQLite
func Begin(ctx context.Context, d dialect.Dialect, c Conn, o Options) (*Tx, error) {
	if err := o.Validate(d); err != nil {
		return nil, err
	}
	if d.Caps().TxBegin == dialect.BeginLocking && o.Lock == 0 {
		o.Lock = Immediate
	}
	t := &Tx{d: d, c: c, opts: o}
	t.frames = t.framesBuf[:0]
	if o.Isolation == 0 && o.Access == 0 && !o.Deferrable && (o.Lock == 0 || o.Lock == Immediate) {
		t.begin = plainBegin(d) // shared, never modified
	} else {
		t.begin = beginSQL(d, o)
	}
	if err := t.startLocked(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Tx) startLocked(ctx context.Context) error {
	last := len(t.begin) - 1
	if err := t.c.Exec(ctx, Control{Op: OpBegin, Depth: 1, Before: t.begin[:last:last], SQL: t.begin[last]}); err != nil {
		return fmt.Errorf("txn: %s: %w", strings.Join(t.begin, "; "), err)
	}
	t.active, t.clean, t.fault = true, false, nil
	t.frames = append(t.frames[:0], hookLists{})
	return nil
}

// Options returns the transaction's options, with SQLite's lock mode filled in.
func (t *Tx) Options() Options { return t.opts }

// Depth returns the number of open blocks: 1 for the transaction alone, 0 once it has ended.
func (t *Tx) Depth() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.frames)
}

// Err returns why no more work can be done in the transaction (a savepoint that could not be
// rolled back, a transaction the server rolled back on its own, a failed restart, or
// ErrEnded), or nil.
func (t *Tx) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fault == nil && !t.active {
		return ErrEnded
	}
	return t.fault
}

// Fail marks the transaction as unable to commit, for a reason its owner found out (for
// example, the server rolled it back after a deadlock). Statements keep running on the
// connection; Commit will roll back and return err. The first reason sticks.
func (t *Tx) Fail(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fault == nil && err != nil {
		t.fault = err
	}
}

// Clean reports whether the transaction has ended with the connection known to be outside any
// transaction. After a ROLLBACK that failed, it is false: discard the connection.
func (t *Tx) Clean() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return !t.active && t.clean
}

// OnCommit registers h on the innermost open block, to run after the outermost COMMIT. It
// reports ErrEnded if the transaction has ended.
func (t *Tx) OnCommit(h Hook) error { return t.addHook(h, true) }

// OnRollback registers h on the innermost open block, to run once that block's work is rolled
// back: by a rollback of that block, or of any block it was merged into when it was released.
func (t *Tx) OnRollback(h Hook) error { return t.addHook(h, false) }

// BeforeCommit registers h on the innermost open block, to run before the outermost COMMIT,
// inside the transaction. Like an OnCommit hook it moves to the enclosing block when a nested
// block is released and is dropped when its block rolls back. Tx does not run it: the owner of
// the transaction takes the due hooks with TakeBeforeCommit and runs them before Commit.
func (t *Tx) BeforeCommit(h BeforeCommitHook) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.active {
		return ErrEnded
	}
	if h == nil {
		return errors.New("txn: nil hook")
	}
	f := &t.frames[len(t.frames)-1]
	f.before = append(f.before, h)
	return nil
}

// TakeBeforeCommit removes and returns the before-commit hooks of the transaction, when only
// the transaction itself is open (nested blocks hand theirs up as they are released), in the
// order they were registered. Hooks registered while these run are taken by the next call.
func (t *Tx) TakeBeforeCommit() []BeforeCommitHook {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.active || len(t.frames) != 1 {
		return nil
	}
	hs := t.frames[0].before
	t.frames[0].before = nil
	return hs
}

func (t *Tx) addHook(h Hook, commit bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.active {
		return ErrEnded
	}
	if h == nil {
		return errors.New("txn: nil hook")
	}
	f := &t.frames[len(t.frames)-1]
	if commit {
		f.commit = append(f.commit, h)
	} else {
		f.rollback = append(f.rollback, h)
	}
	return nil
}

// Savepoint opens a nested block: SAVEPOINT "spN". It returns the new depth.
func (t *Tx) Savepoint(ctx context.Context) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.usableLocked(); err != nil {
		return 0, err
	}
	if !t.d.Caps().Savepoints {
		return 0, ErrNoSavepoints
	}
	sp := t.savepointLocked(len(t.frames) + 1)
	if err := t.c.Exec(ctx, sp.stmt(OpSavepoint)); err != nil {
		return 0, fmt.Errorf("txn: %s: %w", sp.save, err)
	}
	t.frames = append(t.frames, hookLists{})
	return len(t.frames), nil
}

// Release ends the nested block at depth successfully: RELEASE SAVEPOINT, and its hooks move to
// the enclosing block. If the savepoint cannot be released (PostgreSQL after a failed
// statement), the block is rolled back instead and Release returns the error with the rollback
// hooks due.
func (t *Tx) Release(ctx context.Context, depth int) (Hooks, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.topLocked(depth, 2); err != nil {
		return nil, err
	}
	return t.releaseLocked(ctx, depth)
}

func (t *Tx) releaseLocked(ctx context.Context, depth int) (Hooks, error) {
	sp := t.savepointLocked(depth)
	var err error
	if t.abortedLocked() {
		err = fmt.Errorf("txn: cannot release the nested block: %w; the block was rolled back", ErrAborted)
	} else if err = t.c.Exec(ctx, sp.stmt(OpRelease)); err == nil {
		t.frames[depth-1].moveTo(&t.frames[depth-2])
		t.frames = t.frames[:depth-1]
		return nil, nil
	} else {
		err = fmt.Errorf("txn: %s: %w; the block was rolled back", sp.release, err)
	}
	hs, rerr := t.rollbackToLocked(ctx, depth, true)
	return hs, errors.Join(err, rerr)
}

// RollbackTo ends the nested block at depth by rolling it back: ROLLBACK TO SAVEPOINT, then
// RELEASE SAVEPOINT so that the name can be used again. It returns the block's rollback hooks.
// If the rollback fails, the transaction's state is unknown: it is marked failed (see Err) and
// can only roll back, and the block's rollback hooks wait for that.
func (t *Tx) RollbackTo(ctx context.Context, depth int) (Hooks, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.topLocked(depth, 2); err != nil {
		return nil, err
	}
	return t.rollbackToLocked(ctx, depth, true)
}

// rollbackToLocked rolls back the savepoint at depth, the innermost, and pops it when pop is
// set; otherwise the savepoint stays open for the block to go on in (ROLLBACK TO keeps it).
func (t *Tx) rollbackToLocked(ctx context.Context, depth int, pop bool) (Hooks, error) {
	sp := t.savepointLocked(depth)
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	f := &t.frames[depth-1]
	var hs Hooks
	err := t.c.Exec(cctx, sp.stmt(OpRollbackTo))
	if err != nil {
		err = fmt.Errorf("txn: %s: %w", sp.rollbackTo, err)
		// The work may still be there: its rollback hooks wait for the outer rollback, which
		// is now the only way out.
		t.frames[depth-2].rollback = append(t.frames[depth-2].rollback, f.rollback...)
		*f = hookLists{}
	} else {
		hs = f.rolledBack()
		if pop {
			if rerr := t.c.Exec(cctx, sp.stmt(OpRelease)); rerr != nil {
				err = fmt.Errorf("txn: %s: %w", sp.release, rerr)
			}
		}
	}
	if pop {
		t.frames = t.frames[:depth-1]
	}
	if err != nil && t.fault == nil {
		t.fault = fmt.Errorf("txn: the transaction cannot commit, because rolling back a nested block failed: %w", err)
	}
	return hs, err
}

// Commit ends the transaction: COMMIT, and returns the commit hooks to run. When the
// transaction cannot commit (see Err, or a statement aborted it), or COMMIT fails, it rolls back
// instead and returns the rollback hooks with the error. When the Conn reports the COMMIT's
// outcome unknown (ErrCommitUnknown), no hooks are due and nothing is rolled back: the error
// says so, and Clean reports false. Only the outermost block commits: every nested block must
// have ended. The COMMIT is not interrupted by ctx ending (see CleanupTimeout): check ctx
// before calling Commit.
func (t *Tx) Commit(ctx context.Context) (Hooks, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.topLocked(1, 1); err != nil {
		return nil, err
	}
	return t.commitLocked(ctx)
}

func (t *Tx) commitLocked(ctx context.Context) (Hooks, error) {
	var err error
	switch {
	case t.fault != nil:
		err = t.fault
	case t.abortedLocked():
		err = fmt.Errorf("txn: cannot commit: %w; it was rolled back (run statements that may fail in a nested block: its failure rolls back only that block)", ErrAborted)
	default:
		// COMMIT runs to its end even if ctx ends meanwhile, within CleanupTimeout: a COMMIT
		// cut off mid-way leaves unknown whether the work committed, which no caller can
		// handle. The caller decides with ctx whether to commit at all.
		cctx, cancel := cleanupContext(ctx)
		err = t.c.Exec(cctx, Control{Op: OpCommit, Depth: 1, SQL: "COMMIT"})
		cancel()
		if err == nil {
			hs := t.frames[0].committed()
			t.endLocked(true)
			return hs, nil
		}
		err = fmt.Errorf("txn: COMMIT: %w", err)
		if errors.Is(err, ErrCommitUnknown) {
			// The work may be committed or not: neither list of hooks may run, a ROLLBACK
			// would prove nothing, and the connection's state is unknown.
			t.endLocked(false)
			return nil, err
		}
	}
	// A COMMIT that failed may leave the transaction open (SQLite after SQLITE_BUSY), and a
	// faulted or aborted one is: roll back so the connection comes back clean. A failed
	// transaction's rollback failing is expected (the engine may have ended it already) and
	// says nothing new; Clean reports it.
	faulted := t.fault != nil
	hs, rerr := t.rollbackLocked(ctx)
	if rerr != nil && !faulted {
		err = fmt.Errorf("%w; %w", err, rerr)
	}
	return hs, err
}

// Rollback ends the transaction: ROLLBACK, on a context free of ctx's cancellation and bounded
// by CleanupTimeout. It returns the rollback hooks of every block still open, and an error if
// the ROLLBACK failed (then Clean reports false: discard the connection). The hooks are due
// either way, because the work is gone either way: a connection that is discarded rolls back.
// On a connection the Conn reports closed (ClosedReporter) no ROLLBACK is sent, and Clean
// reports false. On a transaction that has already ended it does nothing.
func (t *Tx) Rollback(ctx context.Context) (Hooks, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.active {
		return nil, nil // already ended: nothing is left to roll back
	}
	return t.rollbackLocked(ctx)
}

func (t *Tx) rollbackLocked(ctx context.Context) (Hooks, error) {
	var hs Hooks
	for i := range t.frames {
		hs = append(hs, t.frames[i].rolledBack()...)
	}
	if c, ok := t.c.(ClosedReporter); ok && c.Closed() {
		t.endLocked(false)
		return hs, nil
	}
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	err := t.c.Exec(cctx, Control{Op: OpRollback, Depth: 1, SQL: "ROLLBACK"})
	t.endLocked(err == nil)
	if err != nil {
		return hs, fmt.Errorf("txn: ROLLBACK: %w", err)
	}
	return hs, nil
}

func (t *Tx) endLocked(clean bool) {
	t.active = false
	t.clean = clean
	t.frames = t.frames[:0]
}

// Restart ends the block at depth, the innermost, and opens a new one in its place, so the
// code of the block goes on in a fresh transaction or savepoint (Emmett's explicit commit and
// rollback). With commit set: COMMIT then BEGIN for the transaction, RELEASE then SAVEPOINT for
// a nested block (whose hooks move to the enclosing block). Otherwise: ROLLBACK then BEGIN, or
// ROLLBACK TO SAVEPOINT (which keeps the savepoint). It returns the hooks due. A COMMIT whose
// outcome is unknown (ErrCommitUnknown) begins nothing: the block cannot go on, and the error
// says so.
func (t *Tx) Restart(ctx context.Context, depth int, commit bool) (Hooks, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.topLocked(depth, 1); err != nil {
		return nil, err
	}
	if depth > 1 {
		if t.fault != nil {
			return nil, t.fault
		}
		if !commit {
			return t.rollbackToLocked(ctx, depth, false)
		}
		// Released, or rolled back if it could not be: either way the block goes on in a new
		// savepoint, unless the transaction is lost.
		hs, err := t.releaseLocked(ctx, depth)
		if t.fault != nil {
			return hs, err
		}
		sp := t.savepointLocked(depth)
		if serr := t.c.Exec(ctx, sp.stmt(OpSavepoint)); serr != nil {
			serr = fmt.Errorf("txn: %s: %w", sp.save, serr)
			t.fault = fmt.Errorf("txn: the nested block ended but a new savepoint could not be set, so the block cannot go on: %w", serr)
			return hs, errors.Join(err, serr)
		}
		t.frames = append(t.frames, hookLists{})
		return hs, err
	}
	var hs Hooks
	var err error
	if commit {
		hs, err = t.commitLocked(ctx)
	} else {
		hs, err = t.rollbackLocked(ctx)
	}
	if !t.clean {
		// The connection is unusable: do not begin on it, and stop the block's statements.
		if errors.Is(err, ErrCommitUnknown) {
			t.fault = fmt.Errorf("txn: no new transaction began, so the block cannot go on: %w", err)
			return hs, t.fault
		}
		t.fault = fmt.Errorf("txn: the transaction ended but its connection could not be cleaned up, so no new one began: %w", err)
		return hs, err
	}
	if berr := t.startLocked(ctx); berr != nil {
		// The block goes on without a transaction: make sure nothing of it can commit, and
		// that the connection is not trusted afterwards.
		t.active, t.clean = true, false
		t.frames = append(t.frames[:0], hookLists{})
		ended := "ended"
		if commit && err == nil {
			ended = "committed" // say so: the caller must not do the work again
		}
		t.fault = fmt.Errorf("txn: the transaction %s, but a new one could not begin, so the block cannot go on: %w", ended, berr)
		return hs, errors.Join(err, t.fault)
	}
	return hs, err
}

// topLocked checks that depth names the innermost open block and is at least min.
func (t *Tx) topLocked(depth, min int) error {
	if !t.active {
		if t.fault != nil {
			return t.fault
		}
		return ErrEnded
	}
	if depth < min || depth != len(t.frames) {
		return fmt.Errorf("txn: the block at depth %d cannot end while the innermost open block is at depth %d (was a block's context used from another goroutine, or a handle used outside its block?)", depth, len(t.frames))
	}
	return nil
}

// usableLocked reports whether new work may start in the transaction.
func (t *Tx) usableLocked() error {
	if !t.active {
		return ErrEnded
	}
	return t.fault
}

func (t *Tx) abortedLocked() bool {
	a, ok := t.c.(AbortReporter)
	return ok && a.Aborted()
}

// savepointLocked returns the statements of the savepoint at depth (2 or more).
func (t *Tx) savepointLocked(depth int) savepointSQL {
	if t.sps == nil {
		t.sps = savepointsOf(t.d)
	}
	if depth-2 < len(t.sps) {
		return t.sps[depth-2]
	}
	return newSavepointSQL(t.d, depth)
}

// cleanupContext keeps ctx's values but not its cancellation, and bounds the wait instead. A
// context that can never be cancelled is used as it is: its caller asked for no bound.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Done() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
}
