// Package builder composes typed expressions (package expr) into statements — SELECT (joins,
// subqueries, CTEs, set operations, windows), INSERT (many rows, from SELECT, upsert,
// RETURNING), UPDATE and DELETE — and renders them per dialect in one pass:
//
//	q := builder.Select(Users.ID, Users.Name).From(Users).Where(Users.ID.Eq(42))
//	sql, args, err := q.Build(dialect.Postgres)
//	// SELECT "id", "name" FROM "users" WHERE "id" = $1   [42]
//
// Methods modify the statement in place and return it, so a statement can be built in one
// chain or step by step (if cond { q.Where(...) }). Build never panics: a statement the dialect
// cannot express, or an incomplete one, returns an *expr.BuildError naming the clause and the
// dialect, which unwraps to expr.ErrUnsupported or expr.ErrInvalid.
//
// Every statement also has Tables, the distinct tables it reads or writes ("schema.name"),
// which conn uses to route a statement, and DebugSQL, the SQL with values inlined, for logs.
//
// A statement may be built concurrently from several goroutines once it is no longer modified.
package builder

//go:generate go run ../internal/walkgen walk.go walk_gen.go

import (
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// Statement is what every statement of this package implements: SelectStmt, SetStmt,
// InsertStmt, UpdateStmt, DeleteStmt and SelectOf.
//
// conn.Statement, what conn executes, is the same thing seen from the other side: anything
// with Build, which a builder Statement is, and so is hand-written conn.SQL. The name is the
// same because the thing is: a builder Statement is passed to conn as its Statement, with two
// more methods, WriteSQL to nest inside another statement and Tables for conn's routing
// (TableLister). (A transaction's BEGIN or COMMIT is txn.Control, not a statement of either.)
type Statement interface {
	expr.Expression
	// Build renders the statement for d: SQL text and bound arguments.
	Build(d dialect.Dialect) (sql string, args []any, err error)
	// Tables lists the distinct tables the statement reads or writes, schema-qualified
	// ("schema.name") when the table has a schema. CTE names are not tables.
	TableLister
}

// Errors that Build returns unwrap to one of these (see expr.BuildError).
var (
	ErrUnsupported = expr.ErrUnsupported
	ErrInvalid     = expr.ErrInvalid
)
