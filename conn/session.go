package conn

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/typedsql/typedsql/txn"
)

// Session is one connection pinned for explicit transaction control without a closure
// (Emmett's db.commit() and db.rollback(), peewee's manual_commit and begin): for consoles,
// scripts and test suites. DB.Session opens it and returns the context that carries it.
//
// By default a transaction is always open: Commit and Rollback end the current one and begin
// the next, as Emmett's do. With ManualCommit no transaction is open until Begin, statements
// outside one commit one by one, and Commit and Rollback end the transaction without
// beginning another.
//
// Statements and blocks made with the session's context run on its connection, in its
// transaction when one is open: Atomic and Savepoint nest as savepoints, Transaction joins the
// transaction, OnCommit, OnRollback and BeforeCommit register on it, and DB.Block returns its
// handle. Close rolls back what was not committed and gives the connection back; so does the
// end of the context given to DB.Session (see DB.Session). A Session, like its context, is for
// one goroutine at a time.
type Session struct {
	db     *DB
	sc     *scope          // the pinned connection
	base   context.Context // DB.Session's: hooks get it, without its cancellation
	manual bool
	opts   txn.Options // of the transactions the session begins by itself
	stop   func() bool // stops the AfterFunc of base

	mu  sync.Mutex            // serialises Begin, Commit, Rollback and Close
	cur atomic.Pointer[Block] // the open transaction's outermost block, or nil
	use sessionUse
}

// SessionOption adjusts a Session.
type SessionOption func(*sessionOptions)

type sessionOptions struct {
	manual bool
	tx     []txn.Option
}

// ManualCommit opens a Session with no automatic transaction (peewee's manual_commit):
// statements commit one by one until Begin, and Commit or Rollback end the transaction
// without beginning the next.
//
//	s, ctx, err := db.Session(ctx, conn.ManualCommit())
//	s.Begin(ctx)    // BEGIN
//	s.Commit(ctx)   // COMMIT; nothing begins until the next Begin
func ManualCommit() SessionOption {
	return func(o *sessionOptions) { o.manual = true }
}

// SessionTx gives the options of package txn (isolation level, read-only, SQLite lock mode) to
// the transactions a Session begins by itself. txn.Retry is refused: a session has no function
// to run again.
//
//	s, ctx, err := db.Session(ctx, conn.SessionTx(txn.RepeatableRead))
//	// BEGIN ISOLATION LEVEL REPEATABLE READ, again after each Commit and Rollback
func SessionTx(opts ...txn.Option) SessionOption {
	return func(o *sessionOptions) { o.tx = append(o.tx, opts...) }
}

var errSessionInBlock = &misuseError{"conn: Session called with a context that already pins a connection of this DB " +
	"(an Atomic or WithConn block, or a session): use that context, or open the session from outside"}

// Session pins a connection of db and returns the Session and the context that carries it:
// statements made with that context (or one derived from it) run on the session's
// connection. Unless ManualCommit is given, a transaction begins at once, and again after
// each Commit and Rollback:
//
//	s, ctx, err := db.Session(ctx)                          // BEGIN
//	if err != nil {
//		return err
//	}
//	defer s.Close()                                         // ROLLBACK what is left
//	db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('walter')"))
//	s.Commit(ctx)                                           // COMMIT; BEGIN
//	db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('olivia')"))
//	s.Rollback(ctx)                                         // ROLLBACK; BEGIN: olivia is gone
//
// The session ends when Close is called or, if it was not, when ctx is done: either way what
// was not committed rolls back, the OnRollback hooks run, and the connection goes back to
// the pool (after the end of ctx, it is closed instead: a statement may have been cut off).
// A statement or nested block running at that moment finishes first (a result set left open
// counts until it is closed or read to its end); statements made afterwards fail with
// ErrBlockEnded. So a session opened with a context that ends (a request's, a test's) cannot
// leak its connection; with context.Background(), only Close gives it back.
//
// On SQLite the session's transaction holds the database's write lock from its BEGIN
// (IMMEDIATE, unless tx_lock or SessionTx(txn.Deferred) say otherwise) until Commit, Rollback
// or Close: other writers wait for it. On error no session is open, and the context returned
// is ctx.
func (db *DB) Session(ctx context.Context, opts ...SessionOption) (*Session, context.Context, error) {
	var so sessionOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&so)
		}
	}
	if db.scopeOf(ctx) != nil {
		return nil, ctx, errSessionInBlock
	}
	h, err := db.handle()
	if err != nil {
		return nil, ctx, err
	}
	o, err := db.sessionTxOptions(h, so.tx)
	if err != nil {
		return nil, ctx, err
	}
	sc, err := db.pin(ctx)
	if err != nil {
		return nil, ctx, err
	}
	s := &Session{db: db.root(), sc: sc, base: ctx, manual: so.manual, opts: o}
	sc.owner = &s.use
	s.use.end = s.end
	if !s.manual {
		if err := s.begin(ctx, o); err != nil {
			sc.end(ctx, false)
			return nil, ctx, err
		}
	}
	s.stop = context.AfterFunc(ctx, func() { s.use.close() })
	return s, &sessionCtx{Context: ctx, s: s}, nil
}

// sessionTxOptions checks the options of a session's transactions.
func (db *DB) sessionTxOptions(h *handle, opts []txn.Option) (txn.Options, error) {
	o := txn.Collect(opts...)
	if o.Retry.Attempts > 1 {
		return o, &txn.OptionError{Option: "Retry in a session", Reason: "a session has no function to run again; run the work in DB.Atomic with txn.Retry"}
	}
	return o, db.txOptions(h, &o)
}

// begin begins a transaction on the session's connection.
func (s *Session) begin(ctx context.Context, o txn.Options) error {
	b, err := s.db.beginTx(ctx, s.sc, o)
	if err != nil {
		return err
	}
	b.st.outer = s.base
	s.cur.Store(b)
	return nil
}

// Begin begins a transaction in a ManualCommit session, with the options of package txn:
//
//	err := s.Begin(ctx, txn.Serializable) // BEGIN ISOLATION LEVEL SERIALIZABLE
//
// It returns ErrInTransaction when a transaction is open, which in a session without
// ManualCommit is always.
func (s *Session) Begin(ctx context.Context, opts ...txn.Option) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.use.acquire() {
		return ErrBlockEnded
	}
	defer s.use.release()
	if s.cur.Load() != nil || s.sc.txOpen.Load() {
		return ErrInTransaction
	}
	o, err := s.db.sessionTxOptions(s.sc.h, opts)
	if err != nil {
		return err
	}
	return s.begin(ctx, o)
}

// Commit commits the session's transaction: its BeforeCommit hooks run, then COMMIT, then its
// OnCommit hooks. Without ManualCommit the next transaction begins at once. If the work
// cannot commit (a hook vetoed it, a statement aborted it, the engine refused the COMMIT) it
// is rolled back and the error says why. With ctx already done nothing is committed and the
// transaction stays open. If the next transaction cannot begin, the session ends and the
// error says so.
//
//	s.Commit(ctx) // COMMIT; BEGIN
func (s *Session) Commit(ctx context.Context) error { return s.finish(ctx, true) }

// Rollback rolls back the session's transaction (its OnRollback hooks run) and, without
// ManualCommit, begins the next.
//
//	s.Rollback(ctx) // ROLLBACK; BEGIN
func (s *Session) Rollback(ctx context.Context) error { return s.finish(ctx, false) }

func (s *Session) finish(ctx context.Context, commit bool) error {
	op := "Rollback"
	if commit {
		op = "Commit"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.use.acquire() {
		return ErrBlockEnded
	}
	defer s.use.release()
	b := s.cur.Load()
	if b == nil {
		return fmt.Errorf("conn: Session.%s: %w", op, unprefixed(ErrNoTransaction))
	}
	st := b.st
	if d := st.tx.Depth(); d > 1 {
		return fmt.Errorf("conn: Session.%s inside an atomic block nested in the session's transaction (depth %d): return from the block first, or use DB.Block's Commit and Rollback for the block", op, d)
	}
	var err error
	if commit {
		if ctx.Err() != nil {
			return fmt.Errorf("conn: not committed: %w", context.Cause(ctx))
		}
		veto := st.beforeCommit(b.ctx(ctx))
		s.cur.Store(nil)
		err = st.settle(ctx, b, s.sc, veto)
	} else {
		s.cur.Store(nil)
		err = s.rollback(ctx, b)
	}
	if !s.manual {
		if berr := s.begin(ctx, s.opts); berr != nil {
			s.use.close() // ends the session once this call lets go of it
			return errors.Join(err, fmt.Errorf("conn: the session's next transaction could not begin, so the session has ended: %w", unprefixed(berr)))
		}
	}
	return err
}

// rollback ends the session's transaction b with a ROLLBACK, reporting only the failure of
// the ROLLBACK itself (a transaction that had already failed is expected to fail it).
func (s *Session) rollback(ctx context.Context, b *Block) error {
	st := b.st
	st.open.closeFrom(1)
	faulted := st.tx.Err() != nil
	hs, err := st.tx.Rollback(ctx)
	st.end(b, s.sc)
	st.runHooks(hs)
	if err != nil && !faulted {
		return classify(st.h, fmt.Errorf("conn: session rollback: %w", err))
	}
	return nil
}

// Close ends the session: result sets left open are closed, what was not committed rolls
// back (OnRollback hooks run), and the connection goes back to the pool. It returns the
// ROLLBACK's error, if it failed (the connection is then closed); calling it again does
// nothing and returns nil. Called while a statement or block of the session runs on another
// goroutine, or from inside a block of the session, it returns nil at once and the session
// ends when that finishes.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop != nil {
		s.stop()
	}
	s.sc.open.closeFrom(0) // the caller's own result sets: Close is made on their goroutine
	if s.use.close() {
		return s.use.err
	}
	return nil
}

// end ends the session, run once by sessionUse when no operation of the session is running.
func (s *Session) end() error {
	var err error
	if b := s.cur.Swap(nil); b != nil {
		err = s.rollback(s.base, b)
	}
	s.sc.end(s.base, false)
	return err
}

// sessionCtx is the context of a Session: the session's current transaction, when one is
// open, is the DB's scope and the innermost block, else its pinned connection is.
type sessionCtx struct {
	context.Context
	s *Session
}

func (c *sessionCtx) Value(key any) any {
	switch k := key.(type) {
	case scopeKey:
		if k.db == c.s.sc.db {
			if b := c.s.cur.Load(); b != nil {
				return b.sc
			}
			return c.s.sc
		}
	case blockKey:
		if b := c.s.cur.Load(); b != nil {
			return b
		}
	}
	return c.Context.Value(key)
}

// sessionUse counts the operations running on a session's connection (statements and their
// result sets, blocks, Begin, Commit and Rollback), so that the session ends only between
// them: the end of the session's context comes on another goroutine, and a connection runs
// one thing at a time. Once close is called no operation starts, and whoever finds none
// running ends the session. A nil *sessionUse (a connection no session owns) counts nothing.
type sessionUse struct {
	mu      sync.Mutex
	n       int
	closing bool
	ended   bool
	end     func() error
	err     error // end's
}

func (u *sessionUse) acquire() bool {
	if u == nil {
		return true
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closing {
		return false
	}
	u.n++
	return true
}

func (u *sessionUse) release() {
	if u == nil {
		return
	}
	u.mu.Lock()
	u.n--
	last := u.n == 0 && u.closing && !u.ended
	u.ended = u.ended || last
	u.mu.Unlock()
	if last {
		u.finish()
	}
}

// close stops new operations and ends the session now if none is running, reporting whether
// it did; otherwise the last one to finish ends it.
func (u *sessionUse) close() bool {
	u.mu.Lock()
	now := !u.closing && u.n == 0
	u.closing = true
	u.ended = u.ended || now
	u.mu.Unlock()
	if now {
		u.finish()
	}
	return now
}

func (u *sessionUse) finish() {
	err := u.end()
	u.mu.Lock()
	u.err = err
	u.mu.Unlock()
}
