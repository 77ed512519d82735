// Package txn is the transaction state machine behind conn's atomic blocks: the stack of open
// blocks on one connection (the transaction at depth 1, a savepoint at each depth below it), the
// SQL that begins, commits, rolls back and sets savepoints in each engine's spelling, the
// transaction options and their validation against the engine, the before-commit, commit and
// rollback hooks, and the retry policy for serialization failures and deadlocks.
//
// Users meet this package through its options, given to conn.DB.Atomic and conn.DB.Transaction:
//
//	err := db.Atomic(ctx, fn, txn.Serializable, txn.ReadOnly, txn.Retry(5))
//	// PostgreSQL:    BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY
//	// MySQL/MariaDB: SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; START TRANSACTION READ ONLY
//	// SQLite:        an error: SQLite has neither isolation levels nor read-only transactions
//
// The state machine talks to its connection through [Conn], a single Exec method, so it needs no
// driver: conn supplies the pinned connection, runs the user's function and decides, from what
// the function returned, whether to commit or roll back.
package txn
