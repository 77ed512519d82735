package builder_test

import (
	"fmt"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// ActiveUsersView describes a view: it embeds expr.View, so it reads like a table while
// builder.InsertInto, Update and DeleteFrom do not compile with it.
type ActiveUsersView struct {
	expr.View
	ID   expr.Column[int64]  `db:"id"`
	Name expr.Column[string] `db:"name"`
}

var ActiveUsers = expr.NewTable[ActiveUsersView]("active_users")

func ExampleSelect_view() {
	q := builder.Select(ActiveUsers.Name).From(ActiveUsers).Where(ActiveUsers.ID.Eq(7))
	// builder.DeleteFrom(ActiveUsers) does not compile:
	// *ActiveUsersView does not implement expr.Target (wrong type for method isTableNotView)

	sql, args, err := q.Build(dialect.Postgres)
	fmt.Println(sql)
	fmt.Println(args, err)
	// Output:
	// SELECT "name" FROM "active_users" WHERE "id" = $1
	// [7] <nil>
}
