package builder_test

import (
	"fmt"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
)

// Grow sizes the statement for the rows to come, so that a long loop of Values does not
// copy the rows added so far again and again; the SQL is the same as without it.
func ExampleInsertStmt_Grow() {
	names := []string{"ann", "bob", "cy"}
	ins := builder.InsertInto(Users).Grow(len(names))
	for i, name := range names {
		ins.Values(Users.ID.Set(int64(i+1)), Users.Name.Set(name))
	}
	sql, args, err := ins.Build(dialect.Postgres)
	fmt.Println(sql)
	fmt.Println(args, err)
	// Output:
	// INSERT INTO "users" ("id", "name") VALUES ($1, $2), ($3, $4), ($5, $6)
	// [1 ann 2 bob 3 cy] <nil>
}
