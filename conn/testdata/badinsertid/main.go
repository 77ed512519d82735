// Command badinsertid must not compile: conn.InsertID takes an integer id column only, because
// MySQL's last insert id is an integer. TestInsertIDNeedsIntegerColumn builds it and checks
// the compiler's message.
package main

import (
	"context"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
)

type UsersTable struct {
	expr.Table
	ID   expr.Column[int64]  `db:"id"`
	Code expr.Column[string] `db:"code"`
}

var Users = expr.NewTable[UsersTable]("users")

func main() {
	ins := builder.InsertInto(Users).Values(Users.Code.Set("ann"))
	_, _ = conn.InsertID(context.Background(), nil, ins, Users.ID)
	_, _ = conn.InsertID(context.Background(), nil, ins, Users.Code) // want: string does not satisfy conn.Integer
}
