package conn_test

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/txn"
)

// BatchCommit commits every n items, each batch in a transaction of its own (peewee's
// batch_commit). A batch that fails is rolled back; the batches before it stay committed.
func ExampleBatchCommit() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	names := []string{"cy", "di", "ed", "fay", "", "gus"}
	id := int64(10)
	err := conn.BatchCommit(ctx, db, slices.Values(names), 2, func(ctx context.Context, name string) error {
		if name == "" {
			return errors.New("empty name")
		}
		id++
		_, err := db.Exec(ctx, builder.InsertInto(ExampleUsers).
			Values(ExampleUsers.ID.Set(id), ExampleUsers.Name.Set(name)))
		return err
	}, txn.Retry(3))
	fmt.Println(err)
	n, _ := conn.Scalar[int](ctx, db, conn.SQL("SELECT count(*) FROM users"))
	fmt.Println(n, "users")
	// Output:
	// conn: BatchCommit: batch 2 (items 4 to 5) rolled back at item 4; the 4 items before it are committed: empty name
	// 6 users
}
