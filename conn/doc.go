// Package conn owns what a database handle does: opening PostgreSQL (pgx/v5, natively through
// pgxpool), MySQL/MariaDB (go-sql-driver/mysql) and SQLite (modernc.org/sqlite) from a URL or a
// Config, pooling, connection init hooks, running statements built by the builder package or
// raw SQL, typed fetching, and classifying driver errors.
//
// conn links no driver. Each engine is linked by importing its engine package for its side
// effect, as with database/sql drivers, so that a program links only the drivers it uses (a
// PostgreSQL service does not carry SQLite's 20 MB, a SQLite tool does not carry pgx):
//
//	import (
//		"github.com/typedsql/typedsql/conn"
//		_ "github.com/typedsql/typedsql/conn/mysql"    // mysql://, mariadb://
//		_ "github.com/typedsql/typedsql/conn/postgres" // postgres://
//		_ "github.com/typedsql/typedsql/conn/sqlite"   // sqlite://
//	)
//
// Opening a URL whose engine package the program did not import is an error that names the
// package to import.
//
// Which physical connection a statement runs on is decided by its context.Context: a context
// that carries a pinned connection of this DB (from WithConn, an Atomic block or a Session)
// runs the statement there; any other context borrows a pooled connection for the one
// statement.
//
//	db, err := conn.Open(ctx, "postgres://app@localhost/app?pool_max_conns=20")
//	res, err := db.Exec(ctx, builder.Update(Users).Set(Users.Name.Set("ann")).Where(Users.ID.Eq(1)))
//	// UPDATE "users" SET "name" = $1 WHERE "id" = $2
//	n, err := db.Exec(ctx, conn.SQL("DELETE FROM users WHERE id = $1"), 7)
//	n, err = db.Exec(ctx, conn.Portable("DELETE FROM users WHERE id = ?"), 7) // ? on every engine
//
// The fetch functions (All, One, Each, Scalar) put columns into struct fields by their db tags.
// A struct field tagged db:"user" takes the columns "user.id", "user.name", ... (expr.Prefixed
// selects a table's columns so); held by a pointer, it is nil when all those columns are NULL.
// A JSON column goes into a map, a struct, a slice or json.RawMessage on every engine. With the
// DB's logger at debug level, struct fields no column fills are reported once per result shape.
//
// # Reconnecting
//
// A pooled connection the server closed while it sat idle (a restart, pg_terminate_backend,
// KILL, a firewall dropping the socket) is found when it is taken from the pool and replaced:
// go-sql-driver/mysql checks the socket of a reused connection, and on PostgreSQL conn has
// pgxpool ping a connection whose socket has data or EOF waiting (the FATAL a terminated session
// sends). A statement made outside any block that fails in a way proving nothing reached the
// server (pgconn.SafeToRetry, driver.ErrBadConn) runs once more on a fresh, pinged connection;
// database/sql's own pool already retries driver.ErrBadConn, so conn adds no second round there.
// mysql's "invalid connection", a FATAL in reply, timeouts and a reply lost with its connection
// are not retried: the server may have run the statement. (pgx reports a lost reply as "conn
// closed", which it marks safe to retry; conn does not take that for proof.) Inside WithConn, an Atomic block or the HTTP middleware nothing is
// retried (the session or transaction died with the connection); the error matches
// ErrOperational. SQLite has no server or socket: its connections do not die and nothing is
// retried.
//
// # SQLite
//
// A DB conn opens on SQLite behaves like the servers where SQLite would surprise (see
// SQLiteConfig): a misspelt double-quoted column is an error, not a string; times are stored
// and bound in UTC, so that one instant compares equal to itself from any zone; and writers
// of one file queue in the process instead of polling for SQLite's lock, so that concurrent
// writes do not fail with "database is locked".
//
// # Logging and tracing
//
// Every statement is logged at debug level through log/slog (WithLogger; slog.Default() by
// default) with its SQL, argument count, rows, duration and error, and reported to a Tracer
// (WithTracer). Argument values appear only with LogArguments. With debug records off and no
// tracer, a statement pays one Enabled check and allocates nothing for them.
package conn
