package conn_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/txn"
)

// WithConn pins one connection for the block: session state such as a temporary table carries
// from one statement to the next.
func ExampleDB_WithConn() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()

	err := db.WithConn(ctx, func(ctx context.Context) error {
		if _, err := db.Exec(ctx, conn.SQL("CREATE TEMPORARY TABLE picked (id int)")); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, conn.SQL("INSERT INTO picked SELECT id FROM users WHERE email IS NOT NULL")); err != nil {
			return err
		}
		n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT COUNT(*) FROM picked")) // same connection
		fmt.Println("picked:", n)
		return err
	})
	fmt.Println("err:", err)
	// Output:
	// picked: 1
	// err: <nil>
}

// InTransaction also runs the block in a transaction on the pinned connection: it commits when
// the block returns nil and rolls back when it returns an error or panics.
func ExampleInTransaction() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()

	err := db.WithConn(ctx, func(ctx context.Context) error {
		// BEGIN IMMEDIATE
		if _, err := db.Exec(ctx, builder.DeleteFrom(ExampleUsers).Where(ExampleUsers.ID.Eq(2))); err != nil {
			return err
		}
		return errors.New("changed my mind") // ROLLBACK
	}, conn.InTransaction(txn.Retry(3)))
	n, _ := conn.Scalar[int64](ctx, db, conn.SQL("SELECT COUNT(*) FROM users"))
	fmt.Println(err, "- users:", n)
	// Output: changed my mind - users: 2
}

// SeparateConn gives a nested block a connection of its own: it does not share the outer
// block's session (its temporary table) or transaction.
func ExampleSeparateConn() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()

	err := db.WithConn(ctx, func(outer context.Context) error {
		if _, err := db.Exec(outer, conn.SQL("CREATE TEMPORARY TABLE scratch (id int)")); err != nil {
			return err
		}
		return db.WithConn(outer, func(inner context.Context) error {
			fmt.Println("connections in use:", db.Stats().InUse)
			_, err := db.Exec(inner, conn.SQL("SELECT COUNT(*) FROM scratch")) // another connection
			fmt.Println("scratch seen from the separate block:", err == nil)
			return nil
		}, conn.SeparateConn())
	})
	fmt.Println("err:", err)
	// Output:
	// connections in use: 2
	// scratch seen from the separate block: false
	// err: <nil>
}

// Using sends the statements on some tables to another database for the rest of a context,
// whichever DB they are made on.
func ExampleUsing() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	archive := exampleDB(ctx)
	defer archive.Close()
	archive.Exec(ctx, conn.SQL("UPDATE users SET name = 'ann (archived)' WHERE id = 1"))

	q := builder.Select(ExampleUsers.Name).From(ExampleUsers).Where(ExampleUsers.ID.Eq(1))
	live, _ := conn.Scalar[string](ctx, db, q)
	actx := conn.Using(ctx, archive, ExampleUsers)
	old, _ := conn.Scalar[string](actx, db, q) // made on db, runs on archive
	fmt.Println(live, "|", old)
	// Output: ann | ann (archived)
}

// WithRouter is the seam Using is built on: here a router sends the SELECTs made on the
// primary to a replica, and leaves every other statement where it was made.
func ExampleWithRouter() {
	ctx := context.Background()
	primary := exampleDB(ctx)
	defer primary.Close()
	replica := exampleDB(ctx)
	defer replica.Close()
	replica.Exec(ctx, conn.SQL("UPDATE users SET name = 'ann (replica)' WHERE id = 1"))

	rctx := conn.WithRouter(ctx, conn.RouterFunc(func(ctx context.Context, db *conn.DB, stmt conn.Statement) (*conn.DB, error) {
		if _, read := stmt.(*builder.SelectStmt); read && db == primary {
			return replica, nil
		}
		return nil, nil // not mine: the routers before, or the DB it was made on
	}))
	q := builder.Select(ExampleUsers.Name).From(ExampleUsers).Where(ExampleUsers.ID.Eq(1))
	name, _ := conn.Scalar[string](rctx, primary, q) // SELECT "name" FROM "users" WHERE "id" = ? -- on replica
	primary.Exec(rctx, builder.Update(ExampleUsers).Set(ExampleUsers.Name.Set("ann (primary)")).Where(ExampleUsers.ID.Eq(1)))
	live, _ := conn.Scalar[string](ctx, primary, q) // ctx has no router: on primary
	to, _ := primary.Route(rctx, q)
	fmt.Println(name, "|", live, "|", to == replica)
	// Output: ann (replica) | ann (primary) | true
}

// A DB declared before its URL is known fails every call with ErrNotInitialized until Init.
// Options can come with the declaration; Init can run again to switch databases.
func ExampleDeferred() {
	ctx := context.Background()
	var db = conn.Deferred(conn.WithPool(conn.PoolConfig{MaxConns: 4})) // or: var db conn.DB

	_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
	fmt.Println(errors.Is(err, conn.ErrNotInitialized), errors.Is(err, conn.ErrInterface))

	url := os.Getenv("EXAMPLE_DATABASE_URL") // known only at run time
	if url == "" {
		url = "sqlite:///:memory:"
	}
	if err := db.Init(ctx, url); err != nil {
		panic(err)
	}
	defer db.Close()
	n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 40 + 2"))
	fmt.Println(n, err, "- pool of", db.Stats().MaxConns)

	// Init again: statements from now on run on the new database; the old pool closes
	// once nothing uses it.
	if err := db.Init(ctx, "sqlite:///:memory:"); err != nil {
		panic(err)
	}
	n, err = conn.Scalar[int64](ctx, db, conn.SQL("SELECT 6 * 7"))
	fmt.Println(n, err)
	// Output:
	// true true
	// 42 <nil> - pool of 4
	// 42 <nil>
}

// A Proxy is a DB whose database is chosen, or changed, at run time; statements already
// running finish where they started.
func ExampleNewProxy() {
	ctx := context.Background()
	proxy := conn.NewProxy(nil)
	db := proxy.DB // hand this to the rest of the program

	proxy.OnSwap(func(old, _ *conn.DB) {
		if old != nil {
			old.Close() // waits for the statements still running on it
		}
	})
	local := exampleDB(ctx)
	proxy.Set(local)
	n, _ := conn.Scalar[int64](ctx, db, conn.SQL("SELECT COUNT(*) FROM users"))
	fmt.Println("users on the first target:", n)

	empty, _ := conn.Open(ctx, "sqlite:///:memory:")
	empty.Exec(ctx, conn.SQL("CREATE TABLE users (id int)"))
	proxy.Set(empty)
	n, _ = conn.Scalar[int64](ctx, db, conn.SQL("SELECT COUNT(*) FROM users"))
	fmt.Println("users on the second:", n)
	db.Close() // closes the current target
	// Output:
	// users on the first target: 2
	// users on the second: 0
}

// Every statement is logged at debug level: the SQL, how many arguments (their values only
// with LogArguments), rows, duration and error.
func ExampleWithLogger() {
	ctx := context.Background()
	h := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" { // vary from run to run
				return slog.Attr{}
			}
			return a
		},
	})
	db, err := conn.Open(ctx, "sqlite:///:memory:", conn.WithLogger(slog.New(h)))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.Exec(ctx, conn.SQL("CREATE TABLE users (id integer PRIMARY KEY, name text, email text)"))
	db.Exec(ctx, conn.SQL("INSERT INTO users (id, name) VALUES (?, ?)"), 7, "hunter2")
	db.Atomic(ctx, func(ctx context.Context) error {
		return db.Atomic(ctx, func(ctx context.Context) error {
			_, err := db.Exec(ctx, builder.Update(ExampleUsers).Set(ExampleUsers.Name.Set("ann")).Where(ExampleUsers.ID.Eq(7)))
			return err
		})
	})
	// Output:
	// level=DEBUG msg="conn: exec" db=sqlite:///:memory: sql="CREATE TABLE users (id integer PRIMARY KEY, name text, email text)" nargs=0 rows=0
	// level=DEBUG msg="conn: exec" db=sqlite:///:memory: sql="INSERT INTO users (id, name) VALUES (?, ?)" nargs=2 rows=1
	// level=DEBUG msg="conn: tx" db=sqlite:///:memory: op=BEGIN depth=1 sql="BEGIN IMMEDIATE"
	// level=DEBUG msg="conn: tx" db=sqlite:///:memory: op=SAVEPOINT depth=2 sql="SAVEPOINT \"sp1\""
	// level=DEBUG msg="conn: exec" db=sqlite:///:memory: sql="UPDATE \"users\" SET \"name\" = ? WHERE \"id\" = ?" nargs=2 rows=1
	// level=DEBUG msg="conn: tx" db=sqlite:///:memory: op="RELEASE SAVEPOINT" depth=2 sql="RELEASE SAVEPOINT \"sp1\""
	// level=DEBUG msg="conn: tx" db=sqlite:///:memory: op=COMMIT depth=1 sql=COMMIT
}

// slowLog is a Tracer: it reports statements slower than a threshold. An OpenTelemetry
// adapter has the same shape (see Tracer).
type slowLog struct{ out *os.File }

func (s slowLog) TraceQueryStart(ctx context.Context, _ conn.TraceQueryStartData) context.Context {
	return ctx
}

func (s slowLog) TraceQueryEnd(_ context.Context, d conn.TraceQueryEndData) {
	fmt.Fprintf(s.out, "%s on %s: %d rows, err=%v\n", d.SQL, d.Endpoint.System, d.Rows, d.Err)
}

func ExampleWithTracer() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:", conn.WithTracer(slowLog{os.Stdout}))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	conn.All[int64](ctx, db, conn.SQL("SELECT 1 UNION ALL SELECT 2"))
	// Output: SELECT 1 UNION ALL SELECT 2 on sqlite: 2 rows, err=<nil>
}
