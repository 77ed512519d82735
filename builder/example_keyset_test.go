package builder_test

import (
	"fmt"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// Keyset pages of users, newest first. The keys carry the cursor, the last row shown, typed
// by their columns; SeekFirst, SeekAfter and SeekBefore write the WHERE and the ORDER BY.
func ExampleSelectStmt_SeekAfter() {
	type cursor struct {
		CreatedAt time.Time
		ID        int64
	}
	page := func(after *cursor) *builder.SelectStmt {
		var c cursor
		if after != nil {
			c = *after
		}
		keys := []expr.SortKey{expr.Key(Users.CreatedAt, c.CreatedAt).Desc(), expr.Key(Users.ID, c.ID).Desc()}
		q := builder.Select(Users.ID, Users.Name, Users.CreatedAt).From(Users).Limit(20)
		if after == nil {
			return q.SeekFirst(keys...)
		}
		return q.SeekAfter(keys...)
	}

	first, _, _ := page(nil).Build(dialect.Postgres)
	fmt.Println(first)
	next, args, _ := page(&cursor{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 42}).Build(dialect.MySQL)
	fmt.Println(next)
	fmt.Println(args)
	// Output:
	// SELECT "id", "name", "created_at" FROM "users" ORDER BY "created_at" DESC, "id" DESC LIMIT 20
	// SELECT `id`, `name`, `created_at` FROM `users` WHERE (`created_at`, `id`) < (?, ?) ORDER BY `created_at` DESC, `id` DESC LIMIT 20
	// [2024-03-01 00:00:00 +0000 UTC 42]
}

// The page before a cursor, the first row shown, comes nearest the cursor first: reverse it.
func ExampleSelectStmt_SeekBefore() {
	q := builder.Select(Users.ID).From(Users).Limit(20).
		SeekBefore(expr.Key(Users.Name, "kim"), expr.Key(Users.ID, 7))
	sql, args, _ := q.Build(dialect.SQLite)
	fmt.Println(sql)
	fmt.Println(args)
	// Output:
	// SELECT "id" FROM "users" WHERE ("name", "id") < (?, ?) ORDER BY "name" DESC, "id" DESC LIMIT 20
	// [kim 7]
}
