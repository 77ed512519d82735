package conn

import "strings"

// ErrReadOnly: a write reached a server that only reads: a PostgreSQL hot standby or a
// server in a read-only transaction (SQLSTATE 25006), a MariaDB/MySQL server running with
// read_only (1290) or super_read_only, or a transaction that is read-only (1792, 1836).
// Nothing was written. After a failover it means the DB still talks to the old primary: on a
// routed view (Routed) the pool's idle connections are closed and a router that implements
// Rerouter can send the statement, outside a block, once more to the new primary. It also
// matches ErrOperational.
//
//	_, err := db.Exec(ctx, builder.InsertInto(Users).Values(Users.Name.Set("ann")))
//	// INSERT INTO "users" ("name") VALUES ($1) on a standby:
//	// conn: read-only server error: ERROR: cannot execute INSERT in a read-only transaction (SQLSTATE 25006)
//	errors.Is(err, conn.ErrReadOnly) // true
var ErrReadOnly error = &errClass{"read-only server"}

// readOnlyServer reports whether a classified driver error says the server or the
// transaction only reads.
func readOnlyServer(e *Error, err error) bool {
	switch e.Code {
	case "25006":
		return e.SQLState == "25006"
	case "1836", "1792":
		return true
	case "1290":
		// ER_OPTION_PREVENTS_STATEMENT: "running with the --read-only option", or another
		// option (--skip-grant-tables, --secure-file-priv) that is not about the role.
		msg := err.Error()
		return strings.Contains(msg, "read-only") || strings.Contains(msg, "read_only")
	}
	return false
}
