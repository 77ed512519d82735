// Package replica routes reads to streaming replicas and everything else to the primary,
// through conn's routing seam (conn.DB.Routed): a Set's DB is a *conn.DB used like any other.
//
//	primary, _ := conn.Open(ctx, "postgres://app@db1,db2,db3/app?target_session_attrs=read-write")
//	r1, _ := conn.Open(ctx, "postgres://app@db2/app")
//	r2, _ := conn.Open(ctx, "postgres://app@db3/app")
//	set, err := replica.New(primary, []*conn.DB{r1, r2}, replica.Options{MaxLag: time.Second})
//	defer set.Close()
//
//	conn.All[User](ctx, set.DB, builder.Select(Users.ID).From(Users))     // a replica
//	set.Exec(ctx, builder.DeleteFrom(Users).Where(Users.ID.Eq(7)))       // the primary
//
// Statements are routed by what they are, never by their SQL text (conn.IsRead): a builder
// SELECT without a locking clause goes to a replica; INSERT, UPDATE, DELETE, SELECT ... FOR
// UPDATE, conn.SQL text not marked with conn.ReadOnly, and every statement of an Atomic block,
// WithConn or the HTTP middleware go to the primary. OnPrimary overrides a context's reads.
//
// Health: every Options.HealthInterval each replica is asked its role (pg_is_in_recovery(),
// @@read_only; a NULL Seconds_Behind_Master on MariaDB is unhealthy) and the position it has
// replayed; its lag is how long ago the primary was first seen at a position it has not
// replayed. A replica that fails, is not a replica, or lags over MaxLag stops taking reads at
// once, and takes them again after Rise checks in a row within MaxLag/2. A read that fails on
// a replica takes it out and runs once more elsewhere. With no usable replica, reads go to the
// primary at most FallbackRate a second, or fail (Fallback).
//
// Read-your-writes: Track gives a context a session whose reads see its own writes (see
// Track), TrackTables one that is sticky per table (a read waits only for the session's
// writes to the tables it reads); Token and Resume carry either across requests.
//
// Failover: a write that finds the primary read-only (conn.ErrReadOnly, PostgreSQL 25006,
// MariaDB 1290/1836) has the primary's idle connections closed and runs once more, outside a
// block; with a multi-host primary URL and target_session_attrs=read-write the new
// connections find the promoted server.
package replica
