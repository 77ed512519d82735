package conn

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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

// readXid asks for the id of the connection's transaction. It is on the path of every
// COMMIT of a block that may have written, so it talks to pgconn directly: one simple-protocol
// round trip, whatever the DB's statement cache mode.
func readXid(ctx context.Context, p *pgxSession) (xidCheck, error) {
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

// resolvePostgres finds out what became of the transaction whose COMMIT failed with
// commitErr, which proves nothing, and returns what commit returns. The block's connection is
// dead (pgx closed it): it is detached first, so that even a pool of one has room for the
// connection that asks.
func (st *txState) resolvePostgres(ctx context.Context, p *pgxSession, x xidCheck, commitErr error) error {
	pid := p.conn.PgConn().PID()
	p.detach()
	switch {
	case !x.read:
		return commitUnknown(st.h, commitErr, "the block ran only SELECTs built without a locking clause, so its transaction's id was not taken before COMMIT")
	case x.id == 0:
		// No id: the transaction wrote nothing, so committed and rolled back are the same.
		// (A NOTIFY takes its id only in the COMMIT: it may or may not have been sent.)
		return nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), resolveTimeout)
	defer cancel()
	s, err := st.h.freshSession(rctx)
	if err != nil {
		return commitUnknown(st.h, commitErr, fmt.Sprintf("asking the server on a new connection failed: %v", err))
	}
	ps, ok := s.(*pgxSession)
	if !ok { // a PostgreSQL pool lends pgx sessions only
		s.release(false)
		return commitUnknown(st.h, commitErr, "the pool lent a connection that is not PostgreSQL's")
	}
	status, err := xactStatus(rctx, ps, pid, x.id)
	s.release(err != nil)
	switch {
	case err != nil:
		return commitUnknown(st.h, commitErr, fmt.Sprintf("asking the server about transaction %d failed: %v", x.id, err))
	case status == "committed":
		return nil
	case status == "aborted":
		return &Error{Class: ErrOperational, Err: commitErr, msg: redactString(fmt.Sprintf(
			"COMMIT got no reply (%v), and the server reports transaction %d aborted: nothing of it was committed", commitErr, x.id), st.h.cfg.secrets())}
	}
	return commitUnknown(st.h, commitErr, fmt.Sprintf("the server reports transaction %d %s", x.id, status))
}

// xactStatus returns the status of transaction xid: "committed" or "aborted", or, when it is
// still "in progress" after resolveTimeout (the server has not yet noticed that the
// connection is gone), that. An in-progress transaction is hurried along by terminating its
// backend, pid, once it is sure to be this transaction's (its backend_xid matches: behind a
// pooler the pid the client knows may be another session's); without the privilege to, the
// server is left to notice the dead socket by itself.
func xactStatus(ctx context.Context, s *pgxSession, pid uint32, xid uint64) (string, error) {
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
