package conn

import (
	"context"
	"fmt"
	"strings"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/internal/sqltext"
	"github.com/typedsql/typedsql/txn"
)

// blockSession is the connection as an atomic block's statements see it. It refuses statements
// once the transaction cannot commit any more, and after a failed statement it checks whether
// the engine has ended the transaction on its own: MySQL rolls back the whole transaction on a
// deadlock and SQLite on an interrupt or an I/O error, after which the connection is back in
// autocommit mode and the block's later statements would commit one by one.
type blockSession struct {
	session
	st    *txState
	depth int // of the block whose statements these are
}

func (s *blockSession) exec(ctx context.Context, q string, args []any) (Result, error) {
	if err := s.st.check(q); err != nil {
		return Result{}, err
	}
	r, err := s.session.exec(ctx, q, args)
	if err != nil {
		s.st.afterError(ctx, s.depth, err)
	}
	return r, err
}

func (s *blockSession) query(ctx context.Context, q string, args []any, into *driverRows) error {
	if err := s.st.check(q); err != nil {
		return err
	}
	err := s.session.query(ctx, q, args, into)
	if err != nil {
		s.st.afterError(ctx, s.depth, err)
	}
	return err
}

func (s *blockSession) inTx() bool { return true }

// check refuses a statement when the transaction can no longer commit, and refuses statements
// that would end the block's transaction behind its back: after a hand-written COMMIT or
// ROLLBACK the block's later statements would commit one by one, and its own COMMIT would
// commit nothing. (SAVEPOINT, RELEASE and ROLLBACK TO of the user's own savepoints are fine.)
func (st *txState) check(q string) error {
	if err := st.tx.Err(); err != nil {
		return fmt.Errorf("conn: statement not run: %w", unprefixed(err))
	}
	w, rest := sqltext.Leading(q)
	for _, end := range [...]string{"COMMIT", "END", "BEGIN", "START"} {
		if strings.EqualFold(w, end) {
			return fmt.Errorf("%w: %s inside an atomic block would end its transaction behind its back; return from the block, or use DB.Block's Commit and Rollback", errTxControl, strings.ToUpper(w))
		}
	}
	if strings.EqualFold(w, "ROLLBACK") {
		next, after := sqltext.Leading(rest)
		if strings.EqualFold(next, "WORK") || strings.EqualFold(next, "TRANSACTION") {
			next, _ = sqltext.Leading(after)
		}
		if !strings.EqualFold(next, "TO") {
			return fmt.Errorf("%w: ROLLBACK inside an atomic block would end its transaction behind its back; return an error from the block, or use DB.Block's Rollback", errTxControl)
		}
	}
	return nil
}

// release belongs to the outermost block, which releases the physical connection itself; a
// release asked for through a block's scope only records that the connection must not be
// pooled again.
func (s *blockSession) release(discard bool) {
	if discard {
		s.st.broken.Store(true)
	}
}

// afterError marks the transaction failed when the error of a statement of the block at depth
// ended it.
func (st *txState) afterError(ctx context.Context, depth int, stmtErr error) {
	alive, err := st.stillInTx(ctx)
	switch {
	case err != nil:
		st.broken.Store(true)
		st.tx.Fail(lostError(st.h, depth, stmtErr))
	case !alive:
		st.tx.Fail(fmt.Errorf("%w: %w", ErrTxRolledBack, unprefixed(classify(st.h, stmtErr))))
	}
}

// lostError is the transaction's fault when the connection broke under a statement of the
// block at depth: an operational error whatever the statement's own error was. pgx and
// go-sql-driver close the connection when a statement's context ends, so a nested block's own
// deadline takes the whole transaction with it, and the enclosing blocks, whose contexts are
// live, must not read that as their own timeout.
func lostError(h *handle, depth int, stmtErr error) error {
	where := "inside the transaction"
	if depth > 1 {
		where = fmt.Sprintf("in a nested block (depth %d)", depth)
	}
	e := classifyDriver(stmtErr)
	if e == nil {
		e = &Error{}
	}
	e.Class, e.Err = ErrOperational, stmtErr
	e.msg = redactString(fmt.Sprintf("the connection was lost %s, and the transaction with it: %v", where, stmtErr), config.Secrets(h.cfg))
	return e
}

// stillInTx asks the connection whether its transaction is still open (session.stillInTx).
func (st *txState) stillInTx(ctx context.Context) (bool, error) {
	return st.sess.stillInTx(ctx, st.h.dialect())
}

// txConn is the connection as package txn sees it: transaction control statements go to the
// physical connection directly, past the block's checks, and are traced.
type txConn struct{ st *txState }

// One operation is one trace span, even when it takes two statements (MySQL's SET
// TRANSACTION before START TRANSACTION).
func (c txConn) Exec(ctx context.Context, s txn.Control) error {
	switch s.Op {
	case txn.OpCommit:
		return c.commit(ctx, s)
	case txn.OpBegin:
		c.st.wrote.Store(false) // a new transaction: nothing written in it yet
	}
	ctx, done := c.st.h.traceTx(ctx, s)
	var err error
	for _, before := range s.Before {
		if _, err = c.st.sess.exec(ctx, before, nil); err != nil {
			done(err)
			return err
		}
	}
	_, err = c.st.sess.exec(ctx, s.SQL, nil)
	done(err)
	return err
}

// txOps names package txn's operations as tracers see them.
var txOps = [...]TxOp{
	txn.OpBegin:      TxBegin,
	txn.OpCommit:     TxCommit,
	txn.OpRollback:   TxRollback,
	txn.OpSavepoint:  TxSavepoint,
	txn.OpRelease:    TxRelease,
	txn.OpRollbackTo: TxRollbackTo,
}

// Aborted reports PostgreSQL's failed-transaction state, in which COMMIT quietly rolls back.
func (c txConn) Aborted() bool { return c.st.sess.aborted() }

// Closed reports a PostgreSQL connection that pgx has closed (after any network error or a
// cancelled statement), on which a ROLLBACK could only fail.
func (c txConn) Closed() bool { return c.st.sess.closed() }
