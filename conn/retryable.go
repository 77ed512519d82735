package conn

import "errors"

// retryable reports whether err is a conflict with another transaction that running the whole
// transaction again may get past: ErrSerialization, which is PostgreSQL's serialization failure
// (40001) and deadlock (40P01), MySQL's deadlock (1213) and MariaDB's "record has changed since
// last read" (1020), and SQLite's SQLITE_BUSY.
//
// MySQL's lock wait timeout (1205, ErrOperational) is not retried: it is not a conflict the
// engine resolved but a wait that ran out (innodb_lock_wait_timeout, 50 seconds by default)
// while the other transaction still holds its locks, and by default it rolls back only the
// statement, not the transaction; running again would multiply the wait.
func retryable(err error) bool { return errors.Is(err, ErrSerialization) }
