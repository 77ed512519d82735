package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/typedsql/typedsql/internal/engine"
	"github.com/typedsql/typedsql/txn"
)

// Finding out, on PostgreSQL, what became of a COMMIT whose reply was lost: the transaction's
// id is read just before the COMMIT, and after a lost reply a new connection asks the server
// for that transaction's status.
//
//	SELECT pg_current_xact_id_if_assigned()::text   -- before COMMIT, on the block's connection
//	COMMIT                                          -- the reply is lost
//	SELECT pg_xact_status($1::xid8)                 -- on a new connection: committed, aborted
//	                                                -- or in progress
//
// Before PostgreSQL 13 the same functions are txid_current_if_assigned and txid_status, on
// bigint; the numbers are the same.

// resolveTimeout bounds the whole inquiry, like the COMMIT itself (txn.CleanupTimeout).
const resolveTimeout = txn.CleanupTimeout

// xidCheck is what is known before a COMMIT to find out its outcome.
type xidCheck struct {
	read bool   // the id was asked for: the block may have written
	id   uint64 // the transaction's id (xid8); 0, never a transaction's, when it has none
}

// Commit takes the transaction's id before the COMMIT when the block may have written, and
// asks the server on a fresh connection after a lost reply.
func (s *session) Commit(ctx context.Context, text string, wrote bool, fresh engine.Fresh) engine.Commit {
	if s.conn.PgConn().IsClosed() {
		return engine.Commit{Status: engine.NotCommitted, NotSent: true, Err: errors.New("COMMIT not sent: the connection is closed")}
	}
	var x xidCheck
	if wrote {
		var err error
		if x, err = readXid(ctx, s); err != nil {
			// The COMMIT was not sent, so the transaction cannot have committed.
			return engine.Commit{Status: engine.NotCommitted, NotSent: true,
				Err: fmt.Errorf("COMMIT not sent, because reading the transaction's id before it failed: %w", err)}
		}
	}
	_, err := s.Exec(ctx, text, nil)
	if err == nil {
		return engine.Commit{Status: engine.Committed}
	}
	if failed, _ := commitFailed(err); failed {
		return engine.Commit{Status: engine.NotCommitted, Err: err}
	}
	c := s.resolve(ctx, x, err, fresh)
	c.Lost, c.Err = true, err
	return c
}

// readXid asks for the id of the connection's transaction. It is on the path of every
// COMMIT of a block that may have written, so it talks to pgconn directly: one simple-protocol
// round trip, whatever the DB's statement cache mode.
func readXid(ctx context.Context, p *session) (xidCheck, error) {
	pc := p.conn.PgConn()
	current, _ := xidSQL(pc)
	mrr := pc.Exec(ctx, current)
	x := xidCheck{read: true}
	var parseErr error
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		for rr.NextRow() {
			if v := rr.Values(); len(v) == 1 && v[0] != nil { // NULL: no id
				x.id, parseErr = strconv.ParseUint(string(v[0]), 10, 64)
			}
		}
		if _, err := rr.Close(); err != nil {
			mrr.Close()
			return xidCheck{}, err
		}
	}
	if err := mrr.Close(); err != nil {
		return xidCheck{}, err
	}
	if parseErr != nil {
		return xidCheck{}, fmt.Errorf("reading the transaction id: %w", parseErr)
	}
	return x, nil
}

// resolve finds out what became of the transaction whose COMMIT failed with commitErr, which
// proves nothing. The session's connection is dead (pgx closed it): it is detached first, so
// that even a pool of one has room for the connection that asks.
func (s *session) resolve(ctx context.Context, x xidCheck, commitErr error, fresh engine.Fresh) engine.Commit {
	pid := s.conn.PgConn().PID()
	s.detach()
	unknown := func(why string) engine.Commit { return engine.Commit{Status: engine.CommitUnknown, Why: why} }
	switch {
	case !x.read:
		return unknown("the block ran only SELECTs built without a locking clause, so its transaction's id was not taken before COMMIT")
	case x.id == 0:
		// No id: the transaction wrote nothing, so committed and rolled back are the same.
		// (A NOTIFY takes its id only in the COMMIT: it may or may not have been sent.)
		return engine.Commit{Status: engine.Committed}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), resolveTimeout)
	defer cancel()
	var status string
	asked := false
	err := fresh.WithFresh(rctx, func(f engine.Session) error {
		asked = true
		ps, ok := f.(*session)
		if !ok { // a PostgreSQL pool lends pgx sessions only
			return errors.New("the pool lent a connection that is not PostgreSQL's")
		}
		var err error
		status, err = xactStatus(rctx, ps, pid, x.id)
		return err
	})
	switch {
	case err != nil && !asked:
		return unknown(fmt.Sprintf("asking the server on a new connection failed: %v", err))
	case err != nil:
		return unknown(fmt.Sprintf("asking the server about transaction %d failed: %v", x.id, err))
	case status == "committed":
		return engine.Commit{Status: engine.Committed}
	case status == "aborted":
		return engine.Commit{Status: engine.NotCommitted, Why: fmt.Sprintf(
			"COMMIT got no reply (%v), and the server reports transaction %d aborted: nothing of it was committed", commitErr, x.id)}
	}
	return unknown(fmt.Sprintf("the server reports transaction %d %s", x.id, status))
}

// xactStatus returns the status of transaction xid: "committed" or "aborted", or, when it is
// still "in progress" after resolveTimeout (the server has not yet noticed that the
// connection is gone), that. An in-progress transaction is hurried along by terminating its
// backend, pid, once it is sure to be this transaction's (its backend_xid matches: behind a
// pooler the pid the client knows may be another session's); without the privilege to, the
// server is left to notice the dead socket by itself.
func xactStatus(ctx context.Context, s *session, pid uint32, xid uint64) (string, error) {
	xid32 := strconv.FormatUint(xid&0xffffffff, 10) // backend_xid is the 32-bit xid
	_, statusSQL := xidSQL(s.conn.PgConn())
	var terminateErr error
	terminated := false
	wait := time.Millisecond
	for {
		var status *string
		err := s.conn.QueryRow(ctx, statusSQL, pgx.QueryExecModeSimpleProtocol, strconv.FormatUint(xid, 10)).Scan(&status)
		switch {
		case err != nil:
			return "", err
		case status == nil:
			return "", fmt.Errorf("the server no longer knows transaction %d", xid)
		case *status != "in progress":
			return *status, nil
		}
		if !terminated {
			terminated = true
			_, terminateErr = s.conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND backend_xid::text = $2",
				pgx.QueryExecModeSimpleProtocol, int64(pid), xid32)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			if terminateErr != nil {
				return "still in progress after " + resolveTimeout.String() + " (terminating its backend failed: " + terminateErr.Error() + ")", nil
			}
			return "still in progress after " + resolveTimeout.String(), nil
		case <-t.C:
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// xidSQL returns the queries that read the current transaction's id and a transaction's
// status, for the server's version.
func xidSQL(pc *pgconn.PgConn) (current, status string) {
	if v := pgMajor(pc.ParameterStatus("server_version")); v > 0 && v < 13 {
		return "SELECT txid_current_if_assigned()::text", "SELECT txid_status($1::bigint)"
	}
	return "SELECT pg_current_xact_id_if_assigned()::text", "SELECT pg_xact_status($1::xid8)"
}

// pgMajor reads the major version from server_version ("15.4 (Debian ...)", "9.6.24",
// "17beta1"), or returns 0.
func pgMajor(v string) int {
	n := 0
	for i := 0; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
		n = n*10 + int(v[i]-'0')
	}
	return n
}
