package conn_test

import (
	"context"
	"fmt"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
)

// A routed view sends what only reads to a replica and everything else, and everything inside
// a block, to the DB it is a view of. Here the "replica" is a second SQLite database that has
// not seen carol yet, so where each read ran shows in its answer. Package replica builds
// read-replica sets with health checks and read-your-writes on this seam.
func ExampleDB_Routed() {
	ctx := context.Background()
	primary, replica := exampleDB(ctx), exampleDB(ctx)
	defer primary.Close()
	defer replica.Close()
	db := primary.Routed(conn.RouterFunc(func(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
		if conn.IsRead(stmt) {
			return replica, nil
		}
		return nil, nil // the primary
	}))
	names := builder.Select(ExampleUsers.Name).From(ExampleUsers).OrderBy(ExampleUsers.ID.Asc())

	// INSERT INTO "users" ("name") VALUES (?): a write, on the primary
	if _, err := db.Exec(ctx, builder.InsertInto(ExampleUsers).Values(ExampleUsers.Name.Set("carol"))); err != nil {
		panic(err)
	}
	// SELECT "name" FROM "users" ORDER BY "id" ASC: a read, on the replica
	fmt.Println(conn.All[string](ctx, db, names))
	// ... FOR UPDATE locks rows: on the primary (SQLite has no FOR UPDATE, so SQL text here)
	fmt.Println(conn.All[string](ctx, db, conn.SQL("SELECT name FROM users ORDER BY id")))
	// SQL text marked read-only: on the replica
	fmt.Println(conn.All[string](ctx, db, conn.ReadOnly(conn.SQL("SELECT name FROM users ORDER BY id"))))
	// inside a block every statement runs on the block's connection, on the primary
	_ = db.Atomic(ctx, func(ctx context.Context) error {
		fmt.Println(conn.All[string](ctx, db, names))
		return nil
	})
	// Output:
	// [ann bob] <nil>
	// [ann bob carol] <nil>
	// [ann bob] <nil>
	// [ann bob carol] <nil>
}
