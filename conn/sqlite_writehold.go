package conn

import (
	"context"
	"strings"

	"github.com/typedsql/typedsql/internal/sqltext"
)

// What holds a SQLite file's write lock (sqlite_writequeue.go), and for how long:
//
//   - an atomic block's transaction that begins IMMEDIATE or EXCLUSIVE, from before its BEGIN
//     to after its COMMIT or ROLLBACK (txState.queue); its statements do not take it again;
//   - a transaction begun by hand (raw BEGIN IMMEDIATE or EXCLUSIVE) in a WithConn block, until
//     its raw COMMIT, END or ROLLBACK succeeds or the connection goes back to the pool;
//   - a statement outside any transaction whose first keyword is not SELECT, VALUES or
//     EXPLAIN, on the pool (sqlBackend.execQueued) or on a WithConn connection, for the
//     statement, or until its result set is closed (INSERT ... RETURNING).
//
// A deferred transaction (a txn.Deferred block; a raw BEGIN, BEGIN DEFERRED or SAVEPOINT)
// takes nothing, and its statements do not queue either: once it has written it holds
// SQLite's own lock, and its next write queueing behind a writer that waits for that lock
// would stall both until busy_timeout. It waits for SQLite's lock as SQLite makes it, and a
// read that then wants to write fails at once with "database is locked" when another
// transaction has written meanwhile (ErrSerialization: run it again).

// sessionQueue is a pinned connection's place in the write queue. Several things may need the
// lock at once on one connection (a result set of its INSERT ... RETURNING still open, the
// next write, a transaction): the lock is taken by the first and given back after the last,
// so that the connection never waits for itself. Like the connection, it is used by one
// goroutine at a time.
type sessionQueue struct {
	q     *writeQueue // nil: no queue (not SQLite, or a pool conn did not open)
	holds int
	// inBlock: an atomic block runs on the connection. It holds the lock itself (or runs
	// deferred), and its statements pass by the queue.
	inBlock bool
	// byHand: a transaction begun by raw SQL holds the lock (one of the holds) until it ends;
	// deferredByHand: one that began deferred runs, and its statements pass by the queue.
	byHand, deferredByHand bool
}

// enter takes the write lock for the connection, unless it holds it already.
func (s *sessionQueue) enter(ctx context.Context) error {
	if s.holds == 0 {
		if err := s.q.lock(ctx); err != nil {
			return err
		}
	}
	s.holds++
	return nil
}

// leave gives back one hold, and the write lock with the last.
func (s *sessionQueue) leave() {
	if s.holds--; s.holds == 0 {
		s.q.unlock()
	}
}

// before takes what statement q needs of the queue, and returns its kind and whether it took
// a hold, which after (for a query, the closing of its result set) settles.
func (s *sessionQueue) before(ctx context.Context, q string) (sqliteKind, bool, error) {
	if s.q == nil || s.inBlock {
		return sqliteRead, false, nil
	}
	kind := sqliteStatementKind(q)
	switch {
	case kind == sqliteRead, kind == sqliteEnd: // ending a transaction only gives locks up
		return kind, false, nil
	case s.byHand, s.deferredByHand: // inside a transaction begun by hand
		return kind, false, nil
	case kind == sqliteBeginDeferred:
		return kind, false, nil
	}
	if err := s.enter(ctx); err != nil {
		return kind, false, err
	}
	return kind, true, nil
}

// after settles a statement that has run (for a query, once its result set is closed): it
// gives back its hold, except that of a hand-written BEGIN IMMEDIATE or EXCLUSIVE that
// succeeded, which the transaction keeps; and a hand-written COMMIT, END or ROLLBACK that
// succeeded ends what a hand-written BEGIN started.
func (s *sessionQueue) after(kind sqliteKind, held bool, err error) {
	switch {
	case held && kind == sqliteBeginLocking && err == nil:
		s.byHand = true
	case held:
		s.leave()
	case kind == sqliteBeginDeferred && err == nil && !s.byHand:
		s.deferredByHand = true
	case kind == sqliteEnd && err == nil:
		if s.byHand {
			s.leave()
		}
		s.byHand, s.deferredByHand = false, false
	}
}

// release gives back whatever the connection still holds when it leaves its pinned owner,
// after the owner's transaction ended with a rollback or with the connection's closing.
func (s *sessionQueue) release() {
	if s.holds > 0 {
		s.holds = 0
		s.q.unlock()
	}
	s.inBlock, s.byHand, s.deferredByHand = false, false, false
}

// sqliteKind is what a statement may do to the write lock, read from its first keyword.
type sqliteKind uint8

const (
	sqliteWrite         sqliteKind = iota // anything that is not known to only read
	sqliteRead                            // SELECT, VALUES, EXPLAIN: one statement that reads
	sqliteBeginLocking                    // BEGIN IMMEDIATE, BEGIN EXCLUSIVE
	sqliteBeginDeferred                   // BEGIN [DEFERRED], SAVEPOINT: may open a deferred transaction
	sqliteEnd                             // COMMIT, END, ROLLBACK (not ROLLBACK TO): ends one
)

// sqliteStatementKind reads the first keyword of q (after comments). Several statements in
// one text count as a write whatever the first is.
func sqliteStatementKind(q string) sqliteKind {
	w, rest := sqltext.Leading(q)
	switch {
	case strings.EqualFold(w, "SELECT"), strings.EqualFold(w, "VALUES"), strings.EqualFold(w, "EXPLAIN"):
		if sqltext.Several(q) {
			return sqliteWrite
		}
		return sqliteRead
	case strings.EqualFold(w, "BEGIN"):
		next, _ := sqltext.Leading(rest)
		if strings.EqualFold(next, "IMMEDIATE") || strings.EqualFold(next, "EXCLUSIVE") {
			return sqliteBeginLocking
		}
		return sqliteBeginDeferred
	case strings.EqualFold(w, "SAVEPOINT"):
		return sqliteBeginDeferred
	case strings.EqualFold(w, "COMMIT"), strings.EqualFold(w, "END"):
		return sqliteEnd
	case strings.EqualFold(w, "ROLLBACK"):
		next, after := sqltext.Leading(rest)
		if strings.EqualFold(next, "TRANSACTION") {
			next, _ = sqltext.Leading(after)
		}
		if strings.EqualFold(next, "TO") {
			return sqliteWrite // ROLLBACK TO a savepoint: the transaction goes on
		}
		return sqliteEnd
	}
	return sqliteWrite
}
