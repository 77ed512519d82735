package conn_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/txn"
)

// exampleUsersDB opens an in-memory SQLite database with a users table, for the examples.
func exampleUsersDB(ctx context.Context, opts ...conn.Option) *conn.DB {
	db, err := conn.Open(ctx, "sqlite:///:memory:", opts...)
	if err != nil {
		panic(err)
	}
	if _, err := db.Exec(ctx, conn.SQL("CREATE TABLE users (name TEXT)")); err != nil {
		panic(err)
	}
	return db
}

func printExampleUsers(ctx context.Context, db *conn.DB) {
	names, err := conn.All[string](ctx, db, conn.SQL("SELECT name FROM users ORDER BY rowid"))
	fmt.Println(names, err)
}

// printSQL is a log handler that prints the SQL of each statement and transaction control
// operation the DB sends, as sent.
type printSQL struct{}

func (printSQL) Enabled(context.Context, slog.Level) bool { return true }
func (printSQL) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "sql" {
			fmt.Println("  ", a.Value)
		}
		return true
	})
	return nil
}
func (h printSQL) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h printSQL) WithGroup(string) slog.Handler      { return h }

// The outermost block is a transaction, a nested one a savepoint: the nested block's failure
// rolls back its own work only, and the outer block goes on. The indented lines are what the
// DB sent (SQLite here: BEGIN IMMEDIATE; PostgreSQL sends BEGIN, MySQL START TRANSACTION).
func ExampleDB_Atomic() {
	ctx := context.Background()
	db := exampleUsersDB(ctx, conn.WithLogger(slog.New(printSQL{})))
	defer db.Close()

	err := db.Atomic(ctx, func(ctx context.Context) error {
		db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('walter')"))
		err := db.Atomic(ctx, func(ctx context.Context) error {
			db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('olivia')"))
			return errors.New("changed my mind")
		})
		fmt.Println("inner block:", err)
		_, err = db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('william')"))
		return err
	})
	fmt.Println("outer block:", err)
	printExampleUsers(ctx, db)
	// Output:
	//    CREATE TABLE users (name TEXT)
	//    BEGIN IMMEDIATE
	//    INSERT INTO users (name) VALUES ('walter')
	//    SAVEPOINT "sp1"
	//    INSERT INTO users (name) VALUES ('olivia')
	//    ROLLBACK TO SAVEPOINT "sp1"
	//    RELEASE SAVEPOINT "sp1"
	// inner block: changed my mind
	//    INSERT INTO users (name) VALUES ('william')
	//    COMMIT
	// outer block: <nil>
	//    SELECT name FROM users ORDER BY rowid
	// [walter william] <nil>
}

// A block's handle commits or rolls back the work so far and carries on in a new transaction
// (or savepoint) in its place.
func ExampleDB_Block() {
	ctx := context.Background()
	db := exampleUsersDB(ctx)
	defer db.Close()

	db.Atomic(ctx, func(ctx context.Context) error {
		blk, err := db.Block(ctx)
		if err != nil {
			return err
		}
		db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('draft')"))
		blk.Rollback(ctx) // ROLLBACK; BEGIN IMMEDIATE
		db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('kept')"))
		blk.Commit(ctx) // COMMIT; BEGIN IMMEDIATE
		db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('lost')"))
		return errors.New("fail at the end") // ROLLBACK: only 'lost' goes
	})
	printExampleUsers(ctx, db)
	// Output:
	// [kept] <nil>
}

// Hooks run after the outermost COMMIT (OnCommit) or once the work they were registered with
// is rolled back (OnRollback); a nested block's commit hooks wait for the outermost COMMIT and
// are dropped if the nested block rolls back.
func ExampleOnCommit() {
	ctx := context.Background()
	db := exampleUsersDB(ctx)
	defer db.Close()

	db.Atomic(ctx, func(ctx context.Context) error {
		conn.OnCommit(ctx, func(context.Context) { fmt.Println("committed: send the welcome mail") })
		db.Atomic(ctx, func(ctx context.Context) error {
			conn.OnCommit(ctx, func(context.Context) { fmt.Println("never printed") })
			conn.OnRollback(ctx, func(context.Context) { fmt.Println("rolled back: the nested block") })
			return errors.New("nested failure")
		})
		fmt.Println("the outer block goes on")
		return nil
	})
	// Output:
	// rolled back: the nested block
	// the outer block goes on
	// committed: send the welcome mail
}

// Options describe the transaction; one the engine cannot honour is an error before anything
// runs. Retry runs the whole block again after a serialization failure or deadlock.
func ExampleDB_Transaction() {
	ctx := context.Background()
	db := exampleUsersDB(ctx)
	defer db.Close()

	err := db.Transaction(ctx, func(ctx context.Context) error { return nil }, txn.Serializable)
	fmt.Println(err)

	runs := 0
	err = db.Transaction(ctx, func(ctx context.Context) error { // BEGIN DEFERRED
		runs++
		_, err := db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('ann')"))
		return err
	}, txn.Deferred, txn.Retry(5))
	fmt.Println(runs, err)

	// Inside a transaction, Transaction joins it: no savepoint, and its failure rolls back
	// the whole transaction, even when the enclosing block drops the error.
	err = db.Atomic(ctx, func(ctx context.Context) error { // BEGIN
		db.Exec(ctx, conn.SQL("INSERT INTO users (name) VALUES ('bob')"))
		db.Transaction(ctx, func(ctx context.Context) error { // no SAVEPOINT
			return errors.New("out of stock")
		})
		return nil // ROLLBACK all the same
	})
	fmt.Println(err)
	var n int
	db.QueryRow(ctx, conn.SQL("SELECT count(*) FROM users WHERE name = 'bob'")).Scan(&n)
	fmt.Println("bob:", n)
	// Output:
	// txn: sqlite does not support isolation level SERIALIZABLE: the engine has no isolation levels (SQLite runs every transaction serializably); drop the option
	// 1 <nil>
	// conn: the transaction rolled back: a Transaction that joined it failed: out of stock
	// bob: 0
}
