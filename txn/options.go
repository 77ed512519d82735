package txn

import "strconv"

// Option is one characteristic of a transaction, or a rule for running it. Options are values,
// listed after the function of conn.DB.Atomic or conn.DB.Transaction; a later option of the same
// kind replaces an earlier one:
//
//	db.Atomic(ctx, fn, txn.RepeatableRead, txn.Retry(3))
//	db.Atomic(ctx, fn, txn.Deferred) // SQLite: BEGIN DEFERRED instead of BEGIN IMMEDIATE
type Option interface {
	// apply returns o with the option set (by value, so that collecting options does not
	// move Options to the heap).
	apply(o Options) Options
}

// Options is the result of a list of Option values; the zero value asks for the engine's
// defaults and no retry.
type Options struct {
	Isolation  Level       // zero: the engine's default level
	Access     Access      // zero: the engine's default (read-write)
	Deferrable bool        // PostgreSQL DEFERRABLE
	Lock       Lock        // zero: Immediate on SQLite
	Retry      RetryPolicy // zero: run once
}

// Collect folds opts, in order, into Options. Nil options are skipped.
func Collect(opts ...Option) Options {
	var o Options
	for _, opt := range opts {
		if opt != nil {
			o = opt.apply(o)
		}
	}
	return o
}

// Level is a transaction isolation level.
//
//	db.Atomic(ctx, fn, txn.Serializable)
//	// BEGIN ISOLATION LEVEL SERIALIZABLE                                       (PostgreSQL)
//	// SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; START TRANSACTION          (MySQL)
type Level uint8

// The isolation levels of the SQL standard. PostgreSQL runs READ UNCOMMITTED as READ COMMITTED.
// SQLite has no levels (every transaction is serializable), so any level there is an error.
const (
	ReadUncommitted Level = iota + 1
	ReadCommitted
	RepeatableRead
	Serializable
)

// String returns the level as SQL writes it ("READ COMMITTED"), or "default" for the zero Level.
func (l Level) String() string {
	switch l {
	case 0:
		return "default"
	case ReadUncommitted:
		return "READ UNCOMMITTED"
	case ReadCommitted:
		return "READ COMMITTED"
	case RepeatableRead:
		return "REPEATABLE READ"
	case Serializable:
		return "SERIALIZABLE"
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}

func (l Level) apply(o Options) Options { o.Isolation = l; return o }

// Access declares whether a transaction may write.
//
//	db.Atomic(ctx, fn, txn.ReadOnly)
//	// BEGIN READ ONLY                (PostgreSQL)
//	// START TRANSACTION READ ONLY    (MySQL)
//
// In a READ ONLY transaction the engine rejects INSERT, UPDATE and DELETE with an error.
type Access uint8

// The access modes. SQLite has none, so either one there is an error.
const (
	ReadWrite Access = iota + 1
	ReadOnly
)

// String returns the mode as SQL writes it.
func (a Access) String() string {
	switch a {
	case 0:
		return "default"
	case ReadWrite:
		return "READ WRITE"
	case ReadOnly:
		return "READ ONLY"
	}
	return "Access(" + strconv.Itoa(int(a)) + ")"
}

func (a Access) apply(o Options) Options { o.Access = a; return o }

// Deferral is PostgreSQL's DEFERRABLE mode: a SERIALIZABLE READ ONLY DEFERRABLE transaction
// waits at its start for a snapshot that can never cause a serialization failure, then runs
// without the cost of serializable checks (for long reports and backups).
//
//	db.Atomic(ctx, fn, txn.Serializable, txn.ReadOnly, txn.Deferrable)
//	// BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE
type Deferral uint8

// Deferrable asks for a DEFERRABLE transaction: PostgreSQL only, and only together with
// Serializable and ReadOnly, since PostgreSQL ignores it otherwise.
const Deferrable Deferral = 1

func (d Deferral) apply(o Options) Options { o.Deferrable = d == Deferrable; return o }

// Lock is when an SQLite transaction takes the database's write lock; SQLite only.
//
//	db.Atomic(ctx, fn)               // BEGIN IMMEDIATE
//	db.Atomic(ctx, fn, txn.Deferred) // BEGIN DEFERRED
type Lock uint8

// The SQLite lock modes.
const (
	// Deferred takes no lock at BEGIN: a read lock at the first read, the write lock at the
	// first write. Readers never wait, but a transaction that reads and then writes can fail
	// with SQLITE_BUSY when another connection wrote in between (retry it with Retry).
	Deferred Lock = iota + 1
	// Immediate takes the write lock at BEGIN, so concurrent writers queue (up to the busy
	// timeout) at BEGIN instead of failing at their first write. The default.
	Immediate
	// Exclusive is Immediate that also keeps readers out (in rollback-journal mode; in WAL mode
	// it is the same as Immediate).
	Exclusive
)

// String returns the mode as SQLite writes it.
func (l Lock) String() string {
	switch l {
	case 0:
		return "default"
	case Deferred:
		return "DEFERRED"
	case Immediate:
		return "IMMEDIATE"
	case Exclusive:
		return "EXCLUSIVE"
	}
	return "Lock(" + strconv.Itoa(int(l)) + ")"
}

func (l Lock) apply(o Options) Options { o.Lock = l; return o }
