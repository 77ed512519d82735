package conn_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
)

// A session keeps a transaction open on one connection: Commit and Rollback end it and begin
// the next, Close rolls back what is left. The indented lines are what the DB sent (SQLite
// here: BEGIN IMMEDIATE; PostgreSQL sends BEGIN, MySQL START TRANSACTION).
func ExampleDB_Session() {
	ctx := context.Background()
	db := exampleUsersDB(ctx, conn.WithLogger(slog.New(printSQL{})))
	defer db.Close()

	s, sctx, err := db.Session(ctx)
	if err != nil {
		panic(err)
	}
	db.Exec(sctx, conn.SQL("INSERT INTO users (name) VALUES ('walter')"))
	fmt.Println("commit:", s.Commit(sctx))
	db.Exec(sctx, conn.SQL("INSERT INTO users (name) VALUES ('olivia')"))
	fmt.Println("rollback:", s.Rollback(sctx))
	db.Atomic(sctx, func(ctx context.Context) error { // a savepoint in the session's transaction
		db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('william')"))
		return nil
	})
	fmt.Println("close:", s.Close()) // william was not committed
	printExampleUsers(ctx, db)
	// Output:
	//    CREATE TABLE users (name TEXT)
	//    BEGIN IMMEDIATE
	//    INSERT INTO users (name) VALUES ('walter')
	//    COMMIT
	//    BEGIN IMMEDIATE
	// commit: <nil>
	//    INSERT INTO users (name) VALUES ('olivia')
	//    ROLLBACK
	//    BEGIN IMMEDIATE
	// rollback: <nil>
	//    SAVEPOINT "sp1"
	//    INSERT INTO users (name) VALUES ('william')
	//    RELEASE SAVEPOINT "sp1"
	//    ROLLBACK
	// close: <nil>
	//    SELECT name FROM users ORDER BY rowid
	// [walter] <nil>
}

// With ManualCommit a session begins no transaction by itself: statements commit one by one
// until Begin, and Commit ends the transaction without beginning another (peewee's
// manual_commit).
func ExampleManualCommit() {
	ctx := context.Background()
	db := exampleUsersDB(ctx)
	defer db.Close()

	s, sctx, err := db.Session(ctx, conn.ManualCommit())
	if err != nil {
		panic(err)
	}
	defer s.Close()
	db.Exec(sctx, conn.SQL("INSERT INTO users (name) VALUES ('ann')")) // autocommit
	s.Begin(sctx)                                                      // BEGIN IMMEDIATE
	db.Exec(sctx, conn.SQL("INSERT INTO users (name) VALUES ('bob')"))
	s.Rollback(sctx) // ROLLBACK, and no BEGIN

	db.Exec(sctx, conn.SQL("INSERT INTO users (name) VALUES ('cy')")) // autocommit
	printExampleUsers(ctx, db)
	// Output:
	// [ann cy] <nil>
}

// A BeforeCommit hook runs inside the transaction just before its COMMIT: it sees the tables
// the transaction's builder statements wrote, may write itself (its writes commit with the
// transaction), and vetoes the commit by returning an error.
func ExampleBeforeCommit() {
	ctx := context.Background()
	db := exampleUsersDB(ctx)
	defer db.Close()
	db.Exec(ctx, conn.SQL("CREATE TABLE audit (note TEXT)"))

	audit := func(ctx context.Context, tables []string) error {
		_, err := db.Exec(ctx, conn.SQL("INSERT INTO audit (note) VALUES (?)"), "wrote "+strings.Join(tables, ", "))
		return err
	}
	err := db.Atomic(ctx, func(ctx context.Context) error {
		conn.BeforeCommit(ctx, audit)
		_, err := db.Exec(ctx, builder.InsertInto(ExampleUsers).Values(ExampleUsers.Name.Set("ann")))
		return err
	})
	fmt.Println(err)

	err = db.Atomic(ctx, func(ctx context.Context) error {
		conn.BeforeCommit(ctx, func(context.Context, []string) error { return errors.New("closed for the night") })
		_, err := db.Exec(ctx, builder.InsertInto(ExampleUsers).Values(ExampleUsers.Name.Set("bob")))
		return err
	})
	fmt.Println(err, errors.Is(err, conn.ErrCommitVetoed))

	printExampleUsers(ctx, db)
	notes, _ := conn.All[string](ctx, db, conn.SQL("SELECT note FROM audit"))
	fmt.Println(notes)
	// Output:
	// <nil>
	// conn: commit vetoed by a BeforeCommit hook; the transaction rolled back: closed for the night true
	// [ann] <nil>
	// [wrote users]
}
