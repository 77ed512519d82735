package main

import "github.com/typedsql/typedsql/expr"

// The schema, declared once as Go types: every column knows its Go type, so the compiler checks
// each comparison, assignment and aggregate that uses it: Users.ID.Eq("x"),
// Users.Email.Set(42) or expr.Sum(Users.Name) do not compile (internal/typecheck proves it).

// UsersTable describes the users table.
type UsersTable struct {
	expr.Table
	ID     expr.Column[int64]    `db:"id"`
	Name   expr.Column[string]   `db:"name"`
	Email  expr.Nullable[string] `db:"email"`
	Active expr.Column[bool]     `db:"active"`
}

// OrdersTable describes the orders table.
type OrdersTable struct {
	expr.Table
	ID     expr.Column[int64]    `db:"id"`
	UserID expr.Column[int64]    `db:"user_id"`
	Total  expr.Column[float64]  `db:"total"`
	Note   expr.Nullable[string] `db:"note"`
}

var (
	Users  = expr.NewTable[UsersTable]("users")
	Orders = expr.NewTable[OrdersTable]("orders")
)

// createSchema is the DDL for SQLite; the descriptors above do not create tables.
var createSchema = []string{
	`CREATE TABLE users (
		id     INTEGER PRIMARY KEY,
		name   TEXT NOT NULL,
		email  TEXT UNIQUE,
		active BOOLEAN NOT NULL DEFAULT TRUE)`,
	`CREATE TABLE orders (
		id      INTEGER PRIMARY KEY,
		user_id INTEGER NOT NULL REFERENCES users (id),
		total   REAL NOT NULL,
		note    TEXT)`,
}

// Result rows: struct fields take the columns of the same name (the db tag).

// User is one row of users; a nullable column scans into a pointer (or sql.Null[T]).
type User struct {
	ID     int64   `db:"id"`
	Name   string  `db:"name"`
	Email  *string `db:"email"`
	Active bool    `db:"active"`
}

// Spending is one row of the per-user aggregate.
type Spending struct {
	Name   string  `db:"name"`
	Orders int64   `db:"orders"`
	Spent  float64 `db:"spent"`
}
