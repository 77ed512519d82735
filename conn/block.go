package conn

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/typedsql/typedsql/txn"
)

// txState is the transaction of one outermost block, shared by the blocks nested in it.
type txState struct {
	h    *handle
	sess session // the physical connection
	tx   *txn.Tx
	// open is the registry of the result sets the blocks' statements opened and did not
	// close yet: the WithConn scope's when one pins the connection, else rows.
	open *openRows
	rows openRows
	// outer is the context of the outermost block's caller. Hooks get it without its
	// cancellation: they run after the block, when a cancelled context would fail their work.
	outer context.Context
	// broken is set when the connection's state cannot be trusted, so that the outermost
	// block discards it.
	broken atomic.Bool
	// wrote is set (on PostgreSQL only) once a statement that may write has run in the
	// current transaction: the COMMIT then takes the transaction's id first, to find out its
	// outcome if the reply is lost (commit.go).
	wrote atomic.Bool
	// queued: the transaction holds its SQLite file's write lock (see queue).
	queued bool
	// owner is the Session whose connection the transaction is on, or nil (see scope.owner).
	owner *sessionUse
	// log is what the transaction's statements may have written, for BeforeCommit hooks.
	log writeLog
	// fins: the routers to tell when the transaction's work settles (Finisher.Settled).
	fins settling
}

// queue takes the SQLite file's write lock for a transaction that begins IMMEDIATE or
// EXCLUSIVE, before its BEGIN, and lets the block's statements pass by the queue: they run
// inside the lock the transaction holds, or, in a txn.Deferred transaction, must not wait in
// the queue behind a writer that waits for this transaction's lock (sqlite_writequeue.go).
func (st *txState) queue(ctx context.Context, lock txn.Lock) error {
	q := st.sess.writeQueue()
	if q == nil || q.q == nil {
		return nil
	}
	if lock != txn.Deferred {
		if err := q.enter(ctx); err != nil {
			return err
		}
		st.queued = true
	}
	q.inBlock = true
	return nil
}

// unqueue undoes queue, after the transaction's COMMIT or ROLLBACK, on a connection that stays
// pinned (WithConn); a connection going back to the pool gives up its place as it goes.
func (st *txState) unqueue() {
	q := st.sess.writeQueue()
	if q == nil || q.q == nil {
		return
	}
	q.inBlock = false
	if st.queued {
		st.queued = false
		q.leave()
	}
}

// newBlock makes the block at depth, with a scope of its own over the shared connection, so
// that its context fails with ErrBlockEnded once it has ended even while its parent goes on.
func (st *txState) newBlock(db *DB, parent *Block, depth int) *Block {
	b := &Block{st: st, parent: parent, depth: depth, mark: st.log.mark()}
	b.bs = blockSession{session: st.sess, st: st, depth: depth}
	b.sc = &b.scope
	b.scope.db, b.scope.h, b.scope.sess = db.root(), st.h, &b.bs
	b.scope.block, b.scope.depth, b.scope.open = b, depth, st.open
	b.scope.owner = st.owner
	// The same statement checks as a WithConn scope: one statement at a time, and raw SQL
	// that changes the session beyond the transaction gets the connection closed.
	b.sc.blindTx = !st.sess.seesTx()
	if !b.sc.blindTx {
		b.sc.writes = &st.wrote // see txConn.commit
	}
	return b
}

// runHooks runs hooks with the outermost caller's context, without its cancellation.
func (st *txState) runHooks(hs txn.Hooks) {
	if len(hs) > 0 {
		hs.Run(context.WithoutCancel(st.outer))
	}
}

// end ends the outermost block b: the connection goes back to the pool, or is closed when its
// state is unknown; a connection pinned by WithConn stays with its scope, marked for closing.
func (st *txState) end(b *Block, pinned *scope) {
	b.end()
	discard := !st.tx.Clean() || st.broken.Load()
	if pinned != nil {
		if discard {
			pinned.broken.Store(true)
		}
		st.unqueue()
		pinned.txOpen.Store(false)
	} else {
		st.sess.release(discard) // and its hold on the write lock, after the connection
	}
	st.fins.settled(st.outer)
}

// Block is the handle of one atomic block, from DB.Block: the transaction (depth 1) or a
// savepoint in it. Its Commit and Rollback end the block's current work and begin anew in its
// place, so that the block's function can keep part of its work and go on.
type Block struct {
	st     *txState
	parent *Block
	depth  int
	sc     *scope // &scope
	scope  scope  // the block's own scope, allocated with it
	bs     blockSession
	mark   int // where the block's writes begin in st.log
}

// blockKey keys the innermost atomic block of any DB in a context, for OnCommit and OnRollback.
type blockKey struct{}

// blockCtx is the context a block's function receives: its parent, plus the block as the
// DB's scope and as the innermost block. One value for both keys saves a context per block.
type blockCtx struct {
	context.Context
	b *Block
}

func (c *blockCtx) Value(key any) any {
	switch k := key.(type) {
	case scopeKey:
		if k.db == c.b.sc.db {
			return c.b.sc
		}
	case blockKey:
		return c.b
	}
	return c.Context.Value(key)
}

// ctx returns parent with b as the DB's scope and as the innermost block.
func (b *Block) ctx(parent context.Context) context.Context {
	return &blockCtx{Context: parent, b: b}
}

// end marks the block's context ended and hands an unknown connection state up to the block
// that will release the connection. The caller has closed the block's result sets.
func (b *Block) end() {
	b.sc.ended.Store(true)
	if b.sc.broken.Load() {
		if b.parent != nil {
			b.parent.sc.broken.Store(true)
		} else {
			b.st.broken.Store(true)
		}
	}
}

// Block returns the handle of the atomic block ctx is in for this DB, ErrNoTransaction outside
// any, or ErrBlockEnded for the context of a block that has ended.
//
//	err := db.Atomic(ctx, func(ctx context.Context) error {
//		blk, _ := db.Block(ctx)
//		db.Exec(ctx, conn.SQL("INSERT INTO log VALUES ('draft')"))
//		blk.Rollback(ctx) // ROLLBACK; BEGIN: the draft is gone, the block goes on
//		_, err := db.Exec(ctx, conn.SQL("INSERT INTO log VALUES ('final')"))
//		return err
//	})
func (db *DB) Block(ctx context.Context) (*Block, error) {
	sc := db.scopeOf(ctx)
	b := blockOf(sc)
	if b == nil {
		return nil, ErrNoTransaction
	}
	if sc.ended.Load() {
		return nil, ErrBlockEnded
	}
	return b, nil
}

// Depth is 1 for the outermost block (the transaction), 2 for a block nested in it, and so on.
func (b *Block) Depth() int { return b.depth }

// Commit commits the block's work so far and begins anew: COMMIT then BEGIN (with the same
// options) for the outermost block, whose BeforeCommit hooks run before the COMMIT (one that
// vetoes it makes this a Rollback that returns its error) and OnCommit hooks after; RELEASE
// SAVEPOINT then SAVEPOINT for a nested block, whose hooks move to the enclosing block. Only
// the innermost open block can commit. If the work cannot commit it is rolled back, the block
// still begins anew, and the error says why.
//
// If the COMMIT gets no reply, its outcome is found out as DB.Atomic describes, but the
// connection is gone, so nothing begins anew and the block cannot go on: Commit returns an
// error saying so, which matches ErrCommitUnknown when the outcome is unknown (then no hook
// runs), and the block's later statements fail with it.
//
//	err := blk.Commit(ctx) // COMMIT, no reply, no BEGIN: "... the block cannot go on"
func (b *Block) Commit(ctx context.Context) error { return b.restart(ctx, true) }

// Rollback rolls back the block's work so far and begins anew: ROLLBACK then BEGIN for the
// outermost block, ROLLBACK TO SAVEPOINT for a nested one; the block's OnRollback hooks run.
// Only the innermost open block can roll back.
func (b *Block) Rollback(ctx context.Context) error { return b.restart(ctx, false) }

func (b *Block) restart(ctx context.Context, commit bool) error {
	if b.sc.ended.Load() || !b.st.owner.acquire() {
		return ErrBlockEnded
	}
	defer b.st.owner.release()
	if commit && ctx.Err() != nil {
		return fmt.Errorf("conn: not committed: %w", context.Cause(ctx))
	}
	st := b.st
	st.open.closeFrom(b.depth)
	var veto error
	if commit && b.depth == 1 {
		if veto = st.beforeCommit(b.ctx(ctx)); veto == nil && ctx.Err() != nil {
			veto = fmt.Errorf("conn: not committed: %w", context.Cause(ctx))
		}
		commit = veto == nil // a veto rolls back, and the block begins anew all the same
	}
	hs, err := st.tx.Restart(ctx, b.depth, commit)
	switch {
	case b.depth == 1:
		st.log.reset()
		st.fins.settled(st.outer) // the work so far has committed or rolled back
	case !commit || err != nil: // a savepoint that could not be released was rolled back
		st.log.rollBackTo(b.mark)
	}
	b.mark = st.log.mark()
	st.runHooks(hs)
	err = classify(st.h, err)
	if veto != nil {
		if err != nil {
			return fmt.Errorf("%w (and the rollback failed: %w)", veto, err)
		}
		return veto
	}
	return err
}

// beforeCommit runs the transaction's BeforeCommit hooks, with ctx (the outermost block's
// context, so that their statements run in the transaction), until none is left: a hook may
// register another. It returns the first hook's error, which vetoes the COMMIT. It runs none
// when the transaction cannot commit anyway (the COMMIT's rollback says why) or ctx is done.
func (st *txState) beforeCommit(ctx context.Context) error {
	for ctx.Err() == nil && st.tx.Err() == nil && !st.sess.aborted() {
		hs := st.tx.TakeBeforeCommit()
		if len(hs) == 0 {
			return nil
		}
		for _, h := range hs {
			if err := h(ctx); err != nil {
				return fmt.Errorf("%w: %w", ErrCommitVetoed, err)
			}
		}
	}
	return nil
}

// BeforeCommit registers fn to run inside the transaction just before its COMMIT (Emmett's
// before-commit hook), on the transaction's connection, with a context that puts fn's
// statements in the transaction, so that what fn writes commits with the rest:
//
//	blk.BeforeCommit(func(ctx context.Context, tables []string) error {
//		_, err := db.Exec(ctx, builder.InsertInto(Audit).Values(...)) // INSERT ... before COMMIT
//		return err                                                   // an error: ROLLBACK
//	})
//
// An error from fn vetoes the COMMIT: the transaction rolls back (its OnRollback hooks run,
// the remaining BeforeCommit hooks do not) and the block returns an error that matches
// ErrCommitVetoed and wraps fn's. tables lists the tables the transaction's statements may
// have written so far, each once, in the order first written: the Tables() of the builder
// statements that are not reads (IsRead), including tables such a statement only reads, as in
// a subquery; work a rolled-back nested block did is left out. SQL text names no tables, so
// a transaction of conn.SQL statements only passes none; a statement changed after it ran may
// be listed with its new tables. Hooks run in the order registered, each seeing what the
// ones before it wrote; one registered by a hook runs after them.
//
// Registered in a nested block, fn moves to the enclosing block when the nested one succeeds
// and is dropped when it rolls back, like OnCommit. Block.Commit and Session.Commit run the
// hooks too, before their COMMIT. A block that fails, or whose transaction cannot commit,
// runs none.
func (b *Block) BeforeCommit(fn func(ctx context.Context, tables []string) error) error {
	if b.sc.ended.Load() {
		return ErrBlockEnded
	}
	if fn == nil {
		return errNilFunc
	}
	st := b.st
	return st.tx.BeforeCommit(func(ctx context.Context) error { return fn(ctx, st.log.list()) })
}

// BeforeCommit registers fn on the innermost atomic block ctx is in, of whichever DB (see
// Block.BeforeCommit). Outside any block it returns ErrNoTransaction.
//
//	err := db.Atomic(ctx, func(ctx context.Context) error {
//		conn.BeforeCommit(ctx, func(ctx context.Context, tables []string) error {
//			if slices.Contains(tables, "orders") {
//				return checkTotals(ctx) // runs inside the transaction; an error: ROLLBACK
//			}
//			return nil
//		})
//		_, err := db.Exec(ctx, builder.InsertInto(Orders).Values(...))
//		return err
//	})
func BeforeCommit(ctx context.Context, fn func(ctx context.Context, tables []string) error) error {
	b, err := innermost(ctx)
	if err != nil {
		return err
	}
	return b.BeforeCommit(fn)
}

// OnCommit registers fn to run once the transaction commits, after the outermost block's
// COMMIT succeeded and its connection went back to the pool. Registered in a nested block, fn
// moves to the enclosing block when the nested one succeeds, and is dropped when it rolls back.
// fn receives the context of the outermost block's caller, without its cancellation.
// When the outcome of the COMMIT is unknown (ErrCommitUnknown), fn does not run.
func (b *Block) OnCommit(fn func(ctx context.Context)) error {
	if b.sc.ended.Load() {
		return ErrBlockEnded
	}
	return b.st.tx.OnCommit(fn)
}

// OnRollback registers fn to run once the block's work is rolled back: when this block rolls
// back, or, after it succeeded, when a block it became part of rolls back. A rollback of the
// outermost block runs its hooks after the connection went back to the pool; a nested block's
// run while the transaction goes on. When the outcome of the COMMIT is unknown
// (ErrCommitUnknown), fn does not run: the work may be committed.
func (b *Block) OnRollback(fn func(ctx context.Context)) error {
	if b.sc.ended.Load() {
		return ErrBlockEnded
	}
	return b.st.tx.OnRollback(fn)
}

// OnCommit registers fn on the innermost atomic block ctx is in, of whichever DB (see
// Block.OnCommit): send the e-mail only if the order really committed.
//
//	db.Atomic(ctx, func(ctx context.Context) error {
//		if _, err := db.Exec(ctx, conn.SQL("INSERT INTO orders ...")); err != nil {
//			return err
//		}
//		return conn.OnCommit(ctx, func(ctx context.Context) { mailer.Send(ctx, receipt) })
//	})
//
// Outside any block it returns ErrNoTransaction.
func OnCommit(ctx context.Context, fn func(ctx context.Context)) error {
	b, err := innermost(ctx)
	if err != nil {
		return err
	}
	return b.OnCommit(fn)
}

// OnRollback registers fn on the innermost atomic block ctx is in (see Block.OnRollback).
// Outside any block it returns ErrNoTransaction.
func OnRollback(ctx context.Context, fn func(ctx context.Context)) error {
	b, err := innermost(ctx)
	if err != nil {
		return err
	}
	return b.OnRollback(fn)
}

func innermost(ctx context.Context) (*Block, error) {
	b, _ := ctx.Value(blockKey{}).(*Block)
	if b == nil {
		return nil, ErrNoTransaction
	}
	return b, nil
}
