package postgres_test

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
)

// A DB on a pgxpool.Pool the program made itself: statements, fetches and blocks run on it;
// closing the DB leaves the pool to its owner.
func ExampleFromPool() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	defer pool.Close() // the pool stays the caller's
	db, err := postgres.FromPool(pool)
	if err != nil {
		panic(err)
	}
	defer db.Close() // stops db; leaves pool open
	n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT count(*) FROM users"))
	fmt.Println(n, err)
}
