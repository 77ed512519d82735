package conn

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/typedsql/typedsql/internal/sqltext"
	"github.com/typedsql/typedsql/txn"
)

// scope is one physical connection pinned to a context: every statement made with that
// context (or one derived from it) on the scope's DB runs on sess. WithConn and Atomic blocks
// create scopes; the block's end releases the connection and marks the scope ended, so a
// context that outlives its block fails clearly instead of borrowing a stray connection.
type scope struct {
	db    *DB
	h     *handle
	sess  session
	ended atomic.Bool
	// block is the atomic block the scope belongs to, at depth (1 for the transaction), or
	// nil and 0 for a WithConn scope.
	block *Block
	depth int
	// owner is the Session the connection belongs to, or nil: its statements are counted, so
	// that the end of the session's context ends it only between them (session.go).
	owner *sessionUse
	// txOpen: an atomic block's transaction is open on this pinned connection (WithConn,
	// Session), so that no second BEGIN goes to it through a context that does not carry
	// the block.
	txOpen atomic.Bool
	// broken is set when the connection's state is unknown (a failed rollback, an interrupted
	// statement), so that release discards it instead of pooling it.
	broken atomic.Bool

	// busy: a statement or its result set is using the connection. A pinned connection runs
	// one statement at a time on every engine: pgx's connection cannot start a statement while
	// a result set is open, go-sql-driver/mysql's would wait for ever on the one it is
	// reading, and SQLite's could but a program written on it would then fail on the others.
	// So a second statement is ErrConnBusy at once, the same everywhere.
	busy atomic.Bool
	// blindTx: the driver cannot tell whether the connection is inside a transaction
	// (database/sql drivers), so raw statements are read for what they may leave behind.
	blindTx bool
	// rollbackOnEnd: a raw statement may have begun a transaction the driver cannot see;
	// ROLLBACK before the connection goes back to the pool.
	rollbackOnEnd atomic.Bool
	// writes, in an atomic block on PostgreSQL, is set when a statement that may write runs
	// (see mayWrite); nil elsewhere.
	writes *atomic.Bool

	// open is the registry of the result sets made on this connection and not finished yet
	// (openrows.go), rows when the scope has one of its own: a WithConn scope does, a block
	// shares its transaction's. The scope's end closes them: a connection cannot go back to
	// the pool with one open.
	open *openRows
	rows openRows

	// fins: the routers to tell when the scope ends (Finisher.Settled); a block's statements
	// are recorded in its transaction's instead (see settling).
	fins settling
}

// scopeKey keys a DB's scope in a context. Keying by DB lets one context carry pinned
// connections of several databases at once (for example, with Using).
type scopeKey struct{ db *DB }

// scopeOf returns the scope of db that ctx carries, or nil.
func (db *DB) scopeOf(ctx context.Context) *scope {
	sc, _ := ctx.Value(scopeKey{db.root()}).(*scope)
	return sc
}

var errNilBlock = errors.New("conn: nil function passed as a block")

// WithConn runs fn with one connection of db pinned in its context (peewee's execution
// context, Emmett's connection block): every statement fn makes with that context uses the
// same connection, so session state (temporary tables, session variables, SET statements)
// carries from one statement to the next. If ctx already pins a connection of db, fn runs on
// that one and WithConn does nothing else; with SeparateConn it takes a new one all the same.
//
//	err := db.WithConn(ctx, func(ctx context.Context) error {
//		db.Exec(ctx, conn.SQL("CREATE TEMPORARY TABLE scratch (id int)"))
//		_, err := db.Exec(ctx, conn.SQL("INSERT INTO scratch VALUES (1)")) // same connection
//		return err
//	})
//
// When fn returns, the connection goes back to the pool clean or is closed:
//
//   - closed if fn panicked (the panic goes on up), if ctx was cancelled (a statement may
//     have been cut off mid-way), or if the connection failed;
//   - on PostgreSQL, closed if it is still inside a transaction (the driver can see that);
//   - on MySQL/MariaDB and SQLite the driver cannot see a transaction begun by hand, so if fn
//     ran raw SQL that can begin one (BEGIN, START TRANSACTION, SAVEPOINT, XA, CALL), a
//     ROLLBACK ends it before the connection goes back, and raw SQL whose effect a ROLLBACK
//     cannot undo (SET autocommit, LOCK TABLES, several statements in one text) gets the
//     connection closed instead;
//   - result sets fn left open are closed first.
//
// Other session state, such as variables and temporary tables, stays with the physical
// connection, as with database/sql's Conn: reset what you set, or expect the next user of
// the connection to see it. Statements on the pinned connection run one at a time: a
// statement made while a Rows (or an Each loop) of the same block is still open fails with
// ErrConnBusy on every engine (close the Rows first, or collect with All), and the block's
// context must not be used by two goroutines at once.
//
// With InTransaction, fn also runs in a transaction on the pinned connection.
//
// Using the block's context after WithConn returns fails with ErrBlockEnded.
func (db *DB) WithConn(ctx context.Context, fn func(ctx context.Context) error, opts ...WithConnOption) error {
	if fn == nil {
		return errNilBlock
	}
	var o connOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.tx {
		block := fn
		fn = func(ctx context.Context) error { return db.Atomic(ctx, block, o.txOpts...) }
	}
	if sc := db.scopeOf(ctx); sc != nil {
		if sc.ended.Load() {
			return ErrBlockEnded
		}
		if !o.separate {
			return fn(ctx)
		}
	}
	sc, err := db.pin(ctx)
	if err != nil {
		return err
	}
	panicked := true
	defer func() { sc.end(ctx, panicked) }()
	err = fn(context.WithValue(ctx, scopeKey{db.root()}, sc))
	panicked = false
	return err
}

// WithConnOption adjusts a WithConn block.
type WithConnOption func(*connOptions)

type connOptions struct {
	tx       bool
	txOpts   []txn.Option
	separate bool
}

// SeparateConn makes WithConn take a connection of its own from the pool even when ctx
// already pins one of the same DB (peewee's execution context: "a separate connection for
// the duration of the wrapped block"). Inside fn, statements run on the new connection; after
// fn, ctx's statements run on the outer one again. Two nested blocks hold two connections, so
// the pool needs room for both: on a full pool the inner block waits for the acquire timeout.
//
// With InTransaction the block is a transaction of its own (BEGIN ... COMMIT), not a
// savepoint of a transaction ctx is in: it commits or rolls back apart from the outer one,
// does not see the outer one's uncommitted rows, and waits for the locks the outer one holds
// (so a write to rows, or on SQLite to the file, that the outer transaction has written waits
// until the lock timeout: the outer block cannot commit while it waits for its own inner block).
//
//	db.Atomic(ctx, func(ctx context.Context) error {
//		db.Exec(ctx, insertOrder) // in the transaction
//		return db.WithConn(ctx, func(ctx context.Context) error {
//			_, err := db.Exec(ctx, insertAuditLine) // another connection, committed at once
//			return err
//		}, conn.SeparateConn())
//	})
func SeparateConn() WithConnOption { return func(o *connOptions) { o.separate = true } }

// InTransaction makes WithConn run its block as an atomic block on the pinned connection
// (peewee's execution_context(with_transaction=True)): BEGIN before fn, COMMIT when it returns
// nil, ROLLBACK when it returns an error or panics, with the options of package txn
// (isolation, read-only, retry on serialization failures). Inside a transaction of the same DB
// the block is a savepoint, as a nested Atomic is.
//
//	err := db.WithConn(ctx, func(ctx context.Context) error {
//		// BEGIN ISOLATION LEVEL SERIALIZABLE
//		_, err := db.Exec(ctx, conn.SQL("UPDATE accounts SET balance = balance - 10 WHERE id = 1"))
//		return err // COMMIT, or ROLLBACK on error
//	}, conn.InTransaction(txn.Serializable))
func InTransaction(opts ...txn.Option) WithConnOption {
	return func(o *connOptions) { o.tx, o.txOpts = true, opts }
}

// pin takes a connection out of the pool for a new scope.
func (db *DB) pin(ctx context.Context) (*scope, error) {
	var h *handle
	var sess session
	var err error
	for try := 0; try < retiredTries; try++ {
		if h, err = db.handle(); err != nil {
			return nil, err
		}
		actx, done := h.traceAcquire(ctx)
		sess, err = h.be.acquire(actx)
		err = classify(h, err)
		done(err)
		if !errors.Is(err, errRetired) {
			break // errRetired: Init replaced the database meanwhile, use the new one
		}
	}
	if err != nil {
		return nil, err
	}
	sc := &scope{db: db.root(), h: h, sess: sess}
	sc.open = &sc.rows
	sc.blindTx = !sess.seesTx()
	return sc, nil
}

// enter admits one statement to the scope's connection; leave must follow when the
// statement (and its result set) is done. Raw text on a connection whose driver cannot see
// transactions is checked for what it may leave open.
func (sc *scope) enter(stmt Statement, text string) error {
	if sc.ended.Load() || !sc.owner.acquire() {
		return ErrBlockEnded
	}
	if !sc.busy.CompareAndSwap(false, true) {
		sc.owner.release()
		return ErrConnBusy
	}
	if sc.block != nil {
		sc.block.st.log.note(stmt)
	}
	if sc.writes != nil && !sc.writes.Load() && mayWrite(stmt, text) {
		sc.writes.Store(true)
	}
	if sc.blindTx {
		if handWritten(unwrapReadOnly(stmt)) {
			switch sessionEffect(text) {
			case effectTx:
				sc.rollbackOnEnd.Store(true)
			case effectSession:
				sc.broken.Store(true)
			}
		}
	}
	return nil
}

func (sc *scope) leave() {
	sc.busy.Store(false)
	sc.owner.release()
}

// end marks the scope ended and gives its connection back, or discards it when its state
// cannot be trusted.
func (sc *scope) end(ctx context.Context, panicked bool) {
	sc.ended.Store(true)
	sc.open.closeFrom(0)
	discard := panicked || sc.broken.Load() || ctx.Err() != nil || sc.sess.inTx()
	if !discard && sc.rollbackOnEnd.Load() {
		discard = !sc.sess.endBlindTx(ctx)
	}
	sc.sess.release(discard)
	sc.fins.settled(ctx)
}

// effect is what a raw statement may leave on its connection beyond its own result.
type effect uint8

const (
	effectNone    effect = iota
	effectTx             // it may begin a transaction: ROLLBACK undoes that
	effectSession        // it may change the session in ways ROLLBACK does not undo
)

// sessionEffect reads raw SQL for the statements that leave a connection in a state the next
// user must not inherit. It looks at the first keyword (after comments) and at a few markers;
// it errs towards effectTx/effectSession, whose cost is one ROLLBACK or one new connection.
func sessionEffect(text string) effect {
	s := sqltext.Skip(text)
	if sqltext.Several(s) {
		return effectSession // several statements: any of them may do anything
	}
	if sqltext.ContainsFold(s, "autocommit") {
		return effectSession
	}
	w := sqltext.FirstWord(s)
	switch strings.ToUpper(w) {
	case "LOCK", "UNLOCK":
		return effectSession
	case "BEGIN", "START", "SAVEPOINT", "XA", "CALL", "DO":
		return effectTx
	}
	return effectNone
}
