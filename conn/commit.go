package conn

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/typedsql/typedsql/internal/engine"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/txn"
)

// commit sends a transaction's COMMIT and reports what became of the transaction: nil when it
// committed, an error matching ErrCommitUnknown (and so txn.ErrCommitUnknown, which makes Tx
// run no hooks) when nothing proves either way, any other error when it did not commit.
//
// A COMMIT that failed without a reply from the server may have committed: the server may
// have committed and its reply been lost with the connection. On PostgreSQL the transaction's
// id, taken just before the COMMIT, lets a new connection ask the server (conn/postgres's
// commit.go); the other engines offer no such question.
func (c txConn) commit(ctx context.Context, s txn.Control) error {
	ctx, done := c.st.h.traceTx(ctx, s)
	err := c.st.sess.commitTx(ctx, c.st, s.SQL)
	done(err)
	return err
}

// commitTx on a native engine leaves the COMMIT to the engine, which may find out what
// became of it after a lost reply (on PostgreSQL, conn/postgres asks the server on a new
// connection).
func (s *nativeSession) commitTx(ctx context.Context, st *txState, text string) error {
	c := s.Session.Commit(ctx, text, st.wrote.Load(), st.h)
	if c.Lost {
		st.broken.Store(true)
	}
	switch {
	case c.Status == engine.Committed:
		return nil
	case c.Status == engine.CommitUnknown:
		return commitUnknown(st.h, c.Err, c.Why)
	case c.NotSent:
		return fmt.Errorf("conn: %w", c.Err)
	case c.Lost:
		return &Error{Class: ErrOperational, Err: c.Err, msg: redactString(c.Why, config.Secrets(st.h.cfg))}
	}
	return c.Err
}

// commitTx through database/sql: the engines it drives offer no way to ask what became of a
// COMMIT whose reply was lost.
func (s *sqlSession) commitTx(ctx context.Context, st *txState, text string) error {
	_, err := s.exec(ctx, text, nil)
	if err != nil && !commitFailed(err) {
		st.broken.Store(true)
		err = commitUnknown(st.h, err, "")
	}
	return err
}

// commitFailed reports whether err, the error of a COMMIT, proves that the transaction did not
// commit: the server answered with an error (a serialization failure, a deferred constraint,
// SQLITE_BUSY), or, through database/sql, the driver reported driver.ErrBadConn, which
// go-sql-driver does only when it wrote nothing. Anything else — EOF, a reset, a closed
// connection, a timeout, txn.CleanupTimeout running out — proves nothing (on PostgreSQL the
// server is asked instead, which is always right). A server error that ends the session (a
// PostgreSQL FATAL, a killed MariaDB connection) proves nothing either: the server may have
// committed before it ended it. Which server errors prove it is each engine's knowledge
// (engine.Engine.CommitFailed).
func commitFailed(err error) bool {
	for _, e := range engine.All() {
		if e.CommitFailed == nil {
			continue
		}
		if failed, known := e.CommitFailed(err); known {
			return failed
		}
	}
	return errors.Is(err, driver.ErrBadConn)
}

// commitUnknown is the error of a COMMIT whose outcome is unknown; why, if not empty, says why
// conn could not find it out.
func commitUnknown(h *handle, commitErr error, why string) error {
	msg := fmt.Sprintf("COMMIT got no reply (%v), so the transaction may have committed or not; no OnCommit or OnRollback hook ran", commitErr)
	if why != "" {
		msg += "; " + why
	}
	return &Error{Class: ErrCommitUnknown, Err: commitErr, msg: redactString(msg, config.Secrets(h.cfg))}
}
