// Package conn owns what a database handle does: opening PostgreSQL (pgx/v5, natively through
// pgxpool), MySQL/MariaDB (go-sql-driver/mysql) and SQLite (modernc.org/sqlite) from a URL or a
// Config, pooling, connection init hooks, running statements built by the builder package or
// raw SQL, typed fetching, and classifying driver errors.
//
// Which physical connection a statement runs on is decided by its context.Context: a context
// that carries a pinned connection of this DB (from WithConn or an Atomic block) runs the
// statement there; any other context borrows a pooled connection for the one statement.
//
//	db, err := conn.Open(ctx, "postgres://app@localhost/app?pool_max_conns=20")
//	res, err := db.Exec(ctx, builder.Update(Users).Set(Users.Name.To("ann")).Where(Users.ID.Eq(1)))
//	// UPDATE "users" SET "name" = $1 WHERE "users"."id" = $2
//	n, err := db.Exec(ctx, conn.SQL("DELETE FROM users WHERE id = $1"), 7)
package conn
