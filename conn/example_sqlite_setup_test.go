package conn_test

import (
	"context"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/typedsql/typedsql/conn"
)

// SetPragma changes a pragma on every connection of a SQLite DB while it runs: the idle ones
// before their next statement, and every new one.
func ExampleDB_SetPragma() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	if err := db.SetPragma(ctx, "cache_size", "-64000"); err != nil {
		panic(err)
	}
	n, _ := conn.Scalar[int](ctx, db, conn.SQL("PRAGMA cache_size"))
	fmt.Println(n)
	// Output: -64000
}

// Attach attaches another database file on every connection; its tables are schema.table.
func ExampleDB_Attach() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "attach")
	defer os.RemoveAll(dir)
	db := exampleDB(ctx)
	defer db.Close()
	if err := db.Attach(ctx, filepath.Join(dir, "archive.db"), "archive"); err != nil {
		panic(err)
	}
	for _, s := range []string{
		"CREATE TABLE archive.users (id integer PRIMARY KEY, name text)",
		"INSERT INTO archive.users SELECT id, name FROM users",
	} {
		if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
			panic(err)
		}
	}
	n, _ := conn.Scalar[int](ctx, db, conn.SQL("SELECT count(*) FROM archive.users"))
	fmt.Println(n, "archived")
	// Output: 2 archived
}

// RegisterFunction makes a Go function a SQL function on every connection of a SQLite DB.
func ExampleDB_RegisterFunction() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	err := db.RegisterFunction(ctx, "shout", conn.SQLFunction{Args: 1, Deterministic: true,
		Call: func(args []driver.Value) (driver.Value, error) {
			s, _ := args[0].(string)
			return strings.ToUpper(s) + "!", nil
		}})
	if err != nil {
		panic(err)
	}
	names, _ := conn.All[string](ctx, db, conn.SQL("SELECT shout(name) FROM users ORDER BY id"))
	fmt.Println(names)
	// Output: [ANN! BOB!]
}

// ServerVersion asks the server once; Connect asks it too and settles the dialect.
func ExampleDB_ServerVersion() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	v, err := db.ServerVersion(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Major, v.AtLeast(3, 35), db.Dialect().Caps().InsertReturning)
	// Output: 3 true true
}
