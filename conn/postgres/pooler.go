package postgres

import (
	"fmt"
	"net/url"
)

// The pooler URL parameter of a PostgreSQL URL says a connection pooler is in front of the
// server: pooler=pgbouncer (PgBouncer, or another pooler, in transaction pooling). A server
// connection then serves one client for a transaction only, and pgx's exec modes that keep
// state on it break:
//
//   - cache_statement (pgx's default) prepares named statements, which another client's
//     connection already has before PgBouncer 1.21: "prepared statement already exists"
//     (42P05);
//   - describe_exec describes and runs in two round trips that may reach two server
//     connections, and silently returns another client's result (seen with PgBouncer 1.18
//     and 1.24).
//
// With pooler=pgbouncer, default_query_exec_mode defaults to cache_describe (unnamed
// statements, described once and cached on the client), exec and simple_protocol are allowed,
// and cache_statement and describe_exec are refused when the DB is opened:
//
//	postgres://app@pgbouncer:6432/app?pooler=pgbouncer                  // cache_describe
//	postgres://app@pgbouncer:6432/app?pooler=pgbouncer&default_query_exec_mode=describe_exec
//	// conn: default_query_exec_mode=describe_exec is unsafe behind a pooler (pooler=pgbouncer): ...
const poolerParam = "pooler"

// applyPooler reads and removes the pooler parameter from a PostgreSQL URL's driver
// arguments (pgx would send it to the server as a setting) and sets or checks the exec mode.
func applyPooler(q url.Values) error {
	if !q.Has(poolerParam) {
		return nil
	}
	pooler := q.Get(poolerParam)
	q.Del(poolerParam)
	if pooler != "pgbouncer" {
		return fmt.Errorf("pooler=%q: the only pooler conn knows is pgbouncer (transaction pooling)", pooler)
	}
	const key = "default_query_exec_mode"
	switch mode := q.Get(key); mode {
	case "":
		q.Set(key, "cache_describe")
	case "cache_describe", "exec", "simple_protocol":
	case "cache_statement":
		return fmt.Errorf("%s=%s is unsafe behind a pooler (pooler=pgbouncer): named prepared statements collide on shared server connections (42P05); use cache_describe, exec or simple_protocol", key, mode)
	case "describe_exec":
		return fmt.Errorf("%s=%s is unsafe behind a pooler (pooler=pgbouncer): its two round trips may reach two server connections and return another client's result; use cache_describe, exec or simple_protocol", key, mode)
	default:
		return fmt.Errorf("%s=%q is not one of pgx's exec modes", key, mode)
	}
	return nil
}
