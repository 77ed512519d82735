package conn

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/txn"
)

var (
	errNilFunc   = errors.New("conn: nil block function")
	errTxControl = errors.New("conn: transaction control statement refused")
)

// Atomic runs fn in an atomic block: all of fn's statements take effect, or none do.
//
// The outermost block is a transaction on a connection pinned for it; a block inside another
// (Atomic called with the context fn received) is a savepoint in that transaction:
//
//	err := db.Atomic(ctx, func(ctx context.Context) error {        // BEGIN
//		db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('walter')"))
//		db.Atomic(ctx, func(ctx context.Context) error {           // SAVEPOINT "sp1"
//			db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('olivia')"))
//			return errors.New("changed my mind")                   // ROLLBACK TO SAVEPOINT "sp1"
//		})
//		_, err := db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('william')"))
//		return err                                                 // COMMIT: walter and william
//	})
//
// fn returning nil commits the block (for a savepoint, RELEASE SAVEPOINT: its work commits with
// the transaction). fn returning an error rolls back that block only and Atomic returns the
// error as it is; the enclosing block goes on (on PostgreSQL too: rolling back to the savepoint
// clears the aborted state a failed statement leaves). A panic, or runtime.Goexit (t.FailNow),
// rolls back the block and goes on unwinding. A context that is cancelled or past its deadline
// when fn returns rolls the block back and Atomic returns the context's error. Whatever fn does,
// the connection goes back to the pool clean, or is closed when its state is unknown.
//
// A COMMIT that gets no reply (the connection broke or timed out after sending it) may have
// committed. On PostgreSQL a block that may have written takes its transaction's id before
// the COMMIT, and after a lost reply asks the server on a new connection:
//
//	SELECT pg_current_xact_id_if_assigned()   -- before COMMIT, on the block's connection
//	SELECT pg_xact_status($1)                 -- after a lost reply, on a new connection
//
// Committed: Atomic returns nil and the OnCommit hooks run. Aborted: an ErrOperational error,
// and the OnRollback hooks run. In progress (the server has not yet noticed the broken
// connection): Atomic terminates that transaction's backend where it may
// (pg_terminate_backend) and asks again, for up to txn.CleanupTimeout. If the answer stays
// unknown, and always on MySQL/MariaDB, Atomic returns an error matching ErrCommitUnknown, no
// hook runs, and txn.Retry does not run fn again: look at the data before doing the work again.
// A block that ran only built SELECTs without FOR UPDATE/FOR SHARE skips the id (it wrote
// nothing conn knows of) and reports such a COMMIT unknown.
//
// A statement that breaks the connection takes the whole transaction with it, even in a
// nested block: pgx and go-sql-driver close the connection when a statement's context ends,
// so a nested block's own deadline does. The nested Atomic, every later statement of the
// enclosing blocks and the outermost Atomic then return an ErrOperational error saying that
// the connection was lost in a nested block (it still unwraps to the statement's error, such
// as context.DeadlineExceeded), and no COMMIT is sent. SQLite keeps the connection and the
// transaction when it interrupts a read: the nested block rolls back to its savepoint and the
// enclosing block goes on.
//
// Statements use the block's connection only when made with the context fn receives. A context
// from outside the block borrows another connection: it does not see the block's uncommitted
// rows, and if it writes rows the block has written it waits for the block's locks — which is a
// deadlock no engine can detect if the block is waiting for that statement. PostgreSQL then
// waits until lock_timeout or the context's deadline, MySQL for innodb_lock_wait_timeout (then
// error 1205), SQLite, which locks the whole file, for busy_timeout on any write (then
// "database is locked", from the write queue, see SQLiteConfig); with a pool of one
// connection, the outside statement waits for the pool instead. Use the block's context.
//
// The block's context is for one goroutine at a time, like the connection behind it. Result
// sets fn leaves open are closed when the block ends. A hand-written COMMIT, ROLLBACK or BEGIN
// in a block is refused (use Block's Commit and Rollback); if the engine ends the transaction
// on its own (a MySQL deadlock victim, an interrupted SQLite write), the block's later
// statements fail with ErrTxRolledBack rather than run in autocommit mode. MySQL commits
// implicitly before and after DDL (CREATE, ALTER, DROP): keep DDL out of blocks there.
//
// The options (isolation level, read-only, retry, SQLite lock mode; see package txn) apply to the
// outermost block; a nested block may repeat them but not ask for a different transaction. An
// option the engine cannot honour is an error (txn.ErrUnsupported) before anything runs. On
// SQLite the transaction begins as the DB's tx_lock says (IMMEDIATE unless configured), so
// that writers take the write lock at BEGIN instead of failing at their first write, and the
// block waits its turn in the process's write queue before its BEGIN (see SQLiteConfig);
// txn.Deferred asks for BEGIN DEFERRED, which does not queue. Retry runs fn again, in a new
// transaction, when the outermost block fails with ErrSerialization (a serialization failure
// or a deadlock); fn must then be safe to run again.
//
// OnCommit and OnRollback register functions to run when the block's work commits or is rolled
// back, BeforeCommit ones to run inside the transaction before its COMMIT (they may write, or
// veto the COMMIT); DB.Block returns the block's handle. A context that pins a connection
// without a transaction (WithConn) gets its transaction on that connection, which stays pinned
// after the block. In a Session's context the session's transaction is the outermost block,
// so Atomic there is a savepoint.
func (db *DB) Atomic(ctx context.Context, fn func(ctx context.Context) error, opts ...txn.Option) error {
	if fn == nil {
		return errNilFunc
	}
	o := txn.Collect(opts...)
	sc := db.scopeOf(ctx)
	if sc != nil && sc.ended.Load() {
		return ErrBlockEnded
	}
	if b := blockOf(sc); b != nil {
		return db.nested(ctx, b, fn, o)
	}
	return db.outermost(ctx, sc, fn, o)
}

// Transaction runs fn in a transaction, like the outermost Atomic block.
//
//	err := db.Transaction(ctx, fn, txn.Serializable, txn.Retry(5))
//	// BEGIN ISOLATION LEVEL SERIALIZABLE ... COMMIT
//
// Called inside a transaction of db (with a block's or a Session's context), Transaction does
// not nest as Atomic does: as in peewee and Emmett, only the outermost transaction begins and
// commits, and fn joins it, with no savepoint, receiving ctx as it is (DB.Block(ctx) is the
// enclosing block's handle). fn's work then commits or rolls back with the whole transaction:
//
//	db.Atomic(ctx, func(ctx context.Context) error {          // BEGIN
//		return db.Transaction(ctx, func(ctx context.Context) error {
//			_, err := db.Exec(ctx, conn.SQL("INSERT ..."))     // same transaction, no SAVEPOINT
//			return err
//		})
//	})                                                         // COMMIT, or ROLLBACK
//
// A joined fn that returns an error (or panics, or returns with ctx done) cannot undo its own
// work without a savepoint, so it dooms the whole transaction: Transaction returns fn's error
// as it is, the transaction's later statements fail, and the outermost block rolls back and
// returns an error that wraps fn's (errors.Is finds it) even if the code between them dropped
// it. (peewee would commit the half-done work if the error went no further; Go code drops
// errors too easily for that.) Use Atomic or Savepoint where a failure should undo only the
// inner work. Options given to a joined Transaction must agree with the transaction's (see
// Atomic); txn.Retry has no effect there.
func (db *DB) Transaction(ctx context.Context, fn func(ctx context.Context) error, opts ...txn.Option) error {
	if fn == nil {
		return errNilFunc
	}
	sc := db.scopeOf(ctx)
	if sc != nil && sc.ended.Load() {
		return ErrBlockEnded
	}
	if b := blockOf(sc); b != nil {
		return b.st.join(ctx, fn, txn.Collect(opts...))
	}
	return db.outermost(ctx, sc, fn, txn.Collect(opts...))
}

// Savepoint runs fn in a savepoint of the transaction ctx is in, like a nested Atomic block.
// Outside a transaction it returns ErrNoTransaction.
//
//	err := db.Savepoint(ctx, fn)
//	// SAVEPOINT "sp1" ... RELEASE SAVEPOINT "sp1"   (or ROLLBACK TO SAVEPOINT "sp1")
func (db *DB) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	if fn == nil {
		return errNilFunc
	}
	sc := db.scopeOf(ctx)
	if sc != nil && sc.ended.Load() {
		return ErrBlockEnded
	}
	b := blockOf(sc)
	if b == nil {
		return fmt.Errorf("conn: Savepoint: %w", unprefixed(ErrNoTransaction))
	}
	return db.nested(ctx, b, fn, txn.Options{})
}

// blockOf returns the atomic block a scope belongs to, or nil for no scope or a WithConn scope.
func blockOf(sc *scope) *Block {
	if sc == nil {
		return nil
	}
	return sc.block
}

// outermost runs fn in a transaction, as many times as the retry policy allows. pinned is the
// WithConn or Session scope of ctx, or nil.
func (db *DB) outermost(ctx context.Context, pinned *scope, fn func(context.Context) error, o txn.Options) error {
	h, err := db.handle()
	if pinned != nil {
		h, err = pinned.h, nil
		if !pinned.owner.acquire() {
			return ErrBlockEnded
		}
		defer pinned.owner.release()
	}
	if err != nil {
		return err
	}
	if err := db.txOptions(h, &o); err != nil {
		return err
	}
	if o.Retry.Attempts <= 1 {
		return db.transaction(ctx, pinned, fn, o)
	}
	return o.Retry.Do(ctx, retryable, func(int) error {
		return db.transaction(ctx, pinned, fn, o)
	})
}

// txOptions checks the options of a new transaction on h's engine and fills in the defaults.
// Options are checked before a connection is taken, so a wrong option costs nothing.
func (db *DB) txOptions(h *handle, o *txn.Options) error {
	if err := o.Validate(h.dialect()); err != nil {
		return err
	}
	if o.Lock == 0 && h.dialect().Caps().TxBegin == dialect.BeginLocking {
		o.Lock = sqliteLock(h.cfg.SQLite.TxLock) // the DB's tx_lock (_txlock) is the default
	}
	return nil
}

// transaction runs fn once in a new transaction.
func (db *DB) transaction(ctx context.Context, pinned *scope, fn func(context.Context) error, o txn.Options) error {
	b, err := db.beginTx(ctx, pinned, o)
	if err != nil {
		return err
	}
	st := b.st
	bctx := b.ctx(ctx)
	normal := false
	defer func() {
		if !normal {
			// fn panicked or called runtime.Goexit: roll back, give the connection back, run
			// the hooks, and let the unwinding go on.
			st.settle(ctx, b, pinned, errAbandoned)
		}
	}()
	ferr := fn(bctx)
	if ferr == nil {
		ferr = st.beforeCommit(bctx)
	}
	normal = true
	return st.settle(ctx, b, pinned, ferr)
}

// errAbandoned stands for fn's error when fn did not return (a panic, runtime.Goexit).
var errAbandoned = errors.New("conn: the block did not return")

// beginTx begins a transaction on pinned's connection, or on one taken from the pool when
// pinned is nil, and returns its outermost block.
func (db *DB) beginTx(ctx context.Context, pinned *scope, o txn.Options) (*Block, error) {
	var sess session
	var h *handle
	if pinned != nil {
		if !pinned.txOpen.CompareAndSwap(false, true) {
			return nil, errPinnedInTx
		}
		sess, h = pinned.sess, pinned.h
	} else {
		sc, err := db.pin(ctx)
		if err != nil {
			return nil, err
		}
		sess, h = sc.sess, sc.h
	}
	st := &txState{h: h, sess: sess, outer: ctx}
	st.open = &st.rows
	if pinned != nil {
		st.open = pinned.open // one registry per connection
		st.owner = pinned.owner
	}
	// Connection first, then the write queue: see sqlite_writequeue.go.
	if err := st.queue(ctx, o.Lock); err != nil {
		if pinned == nil {
			sess.release(false)
		} else {
			pinned.txOpen.Store(false)
		}
		return nil, err
	}
	tx, err := txn.Begin(ctx, h.dialect(), txConn{st}, o)
	if err != nil {
		// A failed BEGIN may leave session state behind (a pending SET TRANSACTION).
		if pinned != nil {
			pinned.broken.Store(true)
			st.unqueue()
			pinned.txOpen.Store(false)
		} else {
			sess.release(true)
		}
		return nil, classify(h, fmt.Errorf("conn: begin: %w", err))
	}
	st.tx = tx
	return st.newBlock(db, nil, 1), nil
}

// settle ends the transaction whose outermost block is b: COMMIT when ferr is nil and ctx is
// live, ROLLBACK otherwise. The connection goes back to the pool (or stays with pinned), the
// hooks run, and settle returns what the block returns: nil, ferr, or why it did not commit.
func (st *txState) settle(ctx context.Context, b *Block, pinned *scope, ferr error) error {
	st.open.closeFrom(1)
	var hs txn.Hooks
	var err error
	if ferr == nil && ctx.Err() == nil {
		hs, err = st.tx.Commit(ctx)
		err = classify(st.h, err)
	} else {
		faulted := st.tx.Err() != nil
		hs, err = st.tx.Rollback(ctx)
		err = blockError(ctx, ferr, faulted, classify(st.h, err))
	}
	st.end(b, pinned)
	st.runHooks(hs)
	return err
}

// join runs fn as part of the transaction st, with no savepoint: DB.Transaction inside a
// transaction. fn failing dooms the transaction (see DB.Transaction).
func (st *txState) join(ctx context.Context, fn func(context.Context) error, o txn.Options) error {
	if err := o.CheckNested(st.tx.Options()); err != nil {
		return err
	}
	if err := st.tx.Err(); err != nil {
		return fmt.Errorf("conn: Transaction not run: %w", unprefixed(err))
	}
	normal := false
	defer func() {
		if !normal {
			st.tx.Fail(&joinedError{err: errAbandoned})
		}
	}()
	ferr := fn(ctx)
	normal = true
	if ferr == nil && ctx.Err() != nil {
		ferr = fmt.Errorf("conn: atomic block rolled back: %w", context.Cause(ctx))
	}
	if ferr != nil {
		st.tx.Fail(&joinedError{err: ferr})
	}
	return ferr
}

// joinedError is the fault of a transaction that a joined Transaction's failure doomed.
type joinedError struct{ err error }

func (e *joinedError) Error() string {
	if e.err == errAbandoned {
		return "conn: the transaction rolled back: a Transaction that joined it did not return (a panic?)"
	}
	return "conn: the transaction rolled back: a Transaction that joined it failed: " + e.err.Error()
}

func (e *joinedError) Unwrap() error { return e.err }

// nested runs fn in a savepoint of parent's transaction.
func (db *DB) nested(ctx context.Context, parent *Block, fn func(context.Context) error, o txn.Options) error {
	st := parent.st
	if !st.owner.acquire() {
		return ErrBlockEnded
	}
	defer st.owner.release()
	if err := o.CheckNested(st.tx.Options()); err != nil {
		return err
	}
	depth, err := st.tx.Savepoint(ctx)
	if err != nil {
		return classify(st.h, err)
	}
	b := st.newBlock(db, parent, depth)
	normal := false
	defer func() {
		if normal {
			return
		}
		st.open.closeFrom(depth)
		hs, _ := st.tx.RollbackTo(ctx, depth)
		st.log.rollBackTo(b.mark)
		b.end()
		st.runHooks(hs)
	}()
	ferr := fn(b.ctx(ctx))
	normal = true

	st.open.closeFrom(depth)
	var hs txn.Hooks
	// Savepoint opens only in a transaction that can still commit, so a fault now arose in
	// this block: the connection was lost, or the engine rolled the transaction back.
	fault := st.tx.Err()
	switch {
	case fault == nil && ferr == nil && ctx.Err() == nil:
		hs, err = st.tx.Release(ctx, depth)
		err = classify(st.h, err)
	case fault != nil:
		hs, _ = st.tx.RollbackTo(ctx, depth) // expected to fail: the fault says why
		err = faultedBlockError(classify(st.h, fault), ferr)
	default:
		hs, err = st.tx.RollbackTo(ctx, depth)
		err = blockError(ctx, ferr, false, classify(st.h, err))
	}
	if err != nil {
		st.log.rollBackTo(b.mark) // a failed Release rolled back too
	}
	b.end()
	st.runHooks(hs)
	return err
}

// faultedBlockError is what a nested block returns when the transaction failed under it: the
// fault, which tells the enclosing blocks that their transaction is gone (a nested block's
// own deadline that took the connection with it is not their timeout), with fn's error when
// it says something the fault does not.
func faultedBlockError(fault, ferr error) error {
	if ferr == nil || strings.Contains(fault.Error(), ferr.Error()) {
		return fault
	}
	return fmt.Errorf("%w (the block returned: %w)", fault, ferr)
}

// sqliteLock reads the SQLite config's tx_lock; resolve has already checked its value.
func sqliteLock(s string) txn.Lock {
	switch strings.ToLower(s) {
	case "deferred":
		return txn.Deferred
	case "exclusive":
		return txn.Exclusive
	}
	return txn.Immediate
}

// blockError is what a rolled-back block returns: fn's error as it is, or the context's when
// fn returned nil, with the rollback's own failure added when there was one. When the
// transaction had already failed (the engine ended it, the connection broke), a failing
// rollback is expected and not reported.
func blockError(ctx context.Context, ferr error, faulted bool, rerr error) error {
	if ferr == nil {
		ferr = fmt.Errorf("conn: atomic block rolled back: %w", context.Cause(ctx))
	}
	if rerr != nil && !faulted {
		return fmt.Errorf("%w (and the rollback failed: %w)", ferr, rerr)
	}
	return ferr
}
