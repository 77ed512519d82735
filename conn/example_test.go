package conn_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

type ExampleUsersTable struct {
	expr.Table
	ID    expr.Column[int64]    `db:"id"`
	Name  expr.Column[string]   `db:"name"`
	Email expr.Nullable[string] `db:"email"`
}

var ExampleUsers = expr.NewTable[ExampleUsersTable]("users")

// User is a row of users: fields take the columns named by their db tags.
type User struct {
	ID    int64   `db:"id"`
	Name  string  `db:"name"`
	Email *string `db:"email"` // NULL is nil
}

// exampleDB is an in-memory SQLite database with two users.
func exampleDB(ctx context.Context) *conn.DB {
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	for _, s := range []string{
		"CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email text UNIQUE)",
		"INSERT INTO users VALUES (1, 'ann', 'ann@example.com'), (2, 'bob', NULL)",
	} {
		if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
			panic(err)
		}
	}
	return db
}

// Open takes a URL; pool settings ride along as query parameters, and every other parameter
// goes to the driver. Open does not connect: Connect does, so that a wrong host or password
// shows up here rather than at the first statement.
func ExampleOpen() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "postgres://app:secret@localhost:5432/app?sslmode=disable"+
		"&pool_max_conns=20&pool_min_conns=2&pool_max_conn_lifetime=1h&pool_max_conn_idle_time=10m&pool_acquire_timeout=5s")
	if err != nil {
		panic(err)
	}
	defer db.Close() // waits for connections in use to come back, then closes them
	if err := db.Connect(ctx); err != nil {
		fmt.Println(errors.Is(err, conn.ErrOperational)) // unreachable host, wrong password, no such database
		return
	}
	fmt.Println(db) // the password never prints
}

// An in-memory SQLite database is one database shared by all of the DB's pooled connections.
func ExampleOpen_sqliteMemory() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:?pool_max_conns=4", conn.ConnectEagerly())
	if err != nil {
		panic(err)
	}
	defer db.Close()
	fk, _ := conn.Scalar[int64](ctx, db, conn.SQL("PRAGMA foreign_keys"))
	busy, _ := conn.Scalar[int64](ctx, db, conn.SQL("PRAGMA busy_timeout"))
	fmt.Println(db, db.Stats().MaxConns, fk, busy)
	// Output: sqlite:///:memory: 4 1 5000
}

func ExampleOpenConfig() {
	ctx := context.Background()
	db, err := conn.OpenConfig(ctx, conn.Config{
		Adapter: "mysql", Host: "db.internal", User: "app", Password: os.Getenv("APP_DB_PASSWORD"), Database: "app",
		ConnectTimeout: conn.Duration(5 * time.Second),
		Pool:           conn.PoolConfig{MaxConns: 20, MaxIdleTime: conn.Duration(5 * time.Minute), AcquireTimeout: conn.Duration(2 * time.Second)},
		DriverArgs:     map[string]string{"charset": "utf8mb4", "tls": "preferred"},
	})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	fmt.Println(db)
	// Output: mysql://app@db.internal:3306/app?charset=utf8mb4&tls=preferred
}

func ExampleLoadConfigs() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "databases.yml")
	os.Setenv("EXAMPLE_DB_PASSWORD", "s3cret")
	os.WriteFile(path, []byte(`
primary:
  url: postgres://app@db.internal/app?sslmode=require
  password: ${EXAMPLE_DB_PASSWORD}
  pool: {max_conns: 20, acquire_timeout: 5s}
local:
  url: sqlite:///local.db
  sqlite: {busy_timeout: 10s}
`), 0o600)
	cfgs, err := conn.LoadConfigs(path)
	if err != nil {
		panic(err)
	}
	fmt.Println(cfgs["primary"], cfgs["primary"].Pool.MaxConns)
	fmt.Println(cfgs["local"])
	// db, err := conn.OpenNamed(ctx, path, "primary") opens one of them.

	// Output:
	// postgres://app:xxxxx@db.internal:5432/app?sslmode=require 20
	// sqlite:///local.db
}

func ExampleOpenFromEnv() {
	ctx := context.Background()
	os.Unsetenv("EXAMPLE_DATABASE_URL")
	db, err := conn.OpenFromEnv(ctx, "EXAMPLE_DATABASE_URL", "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	fmt.Println(db)
	// Output: sqlite:///:memory:
}

func ExampleWithInit() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:", conn.WithInit(func(ctx context.Context, c conn.InitConn) error {
		return c.Exec(ctx, "PRAGMA recursive_triggers = ON") // on every new physical connection
	}))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	on, _ := conn.Scalar[bool](ctx, db, conn.SQL("PRAGMA recursive_triggers"))
	fmt.Println(on)
	// Output: true
}

func ExampleAll() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	u := ExampleUsers
	users, err := conn.All[User](ctx, db, builder.Select(u.ID, u.Name, u.Email).From(u).OrderBy(u.ID.Asc()))
	if err != nil {
		panic(err)
	}
	for _, x := range users {
		fmt.Println(x.ID, x.Name, x.Email != nil)
	}
	names, _ := conn.All[string](ctx, db, builder.Select(u.Name).From(u).OrderBy(u.Name.Desc()))
	fmt.Println(names)
	// Output:
	// 1 ann true
	// 2 bob false
	// [bob ann]
}

func ExampleOne() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	u := ExampleUsers
	ann, err := conn.One[User](ctx, db, builder.Select(u.ID, u.Name, u.Email).From(u).Where(u.ID.Eq(1)))
	fmt.Println(ann.Name, *ann.Email, err)
	_, err = conn.One[User](ctx, db, builder.Select(u.ID, u.Name, u.Email).From(u).Where(u.ID.Eq(99)))
	fmt.Println(errors.Is(err, conn.ErrNoRows))
	// Output:
	// ann ann@example.com <nil>
	// true
}

func ExampleScalar() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	u := ExampleUsers
	n, err := conn.Scalar[int64](ctx, db, builder.Select(expr.Count(u.ID)).From(u))
	fmt.Println(n, err)
	// Output: 2 <nil>
}

func ExampleEach() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	u := ExampleUsers
	for x, err := range conn.Each[*User](ctx, db, builder.Select(u.ID, u.Name, u.Email).From(u).OrderBy(u.ID.Asc())) {
		if err != nil {
			panic(err)
		}
		fmt.Println(x.ID, x.Name)
	}
	// Output:
	// 1 ann
	// 2 bob
}

func ExampleError() {
	ctx := context.Background()
	db := exampleDB(ctx)
	defer db.Close()
	_, err := db.Exec(ctx, conn.SQL("INSERT INTO users (id, name, email) VALUES (3, 'cy', 'ann@example.com')"))
	var e *conn.Error
	if errors.As(err, &e) && errors.Is(err, conn.ErrIntegrity) {
		fmt.Println("duplicate:", e.Constraint)
	}
	// Output: duplicate: users.email
}

func ExampleFromSQL() {
	ctx := context.Background()
	sqlDB, err := sql.Open("sqlite", "file:/example.db?vfs=memdb")
	if err != nil {
		panic(err)
	}
	defer sqlDB.Close()
	db, err := conn.FromSQL(sqlDB, dialect.SQLite)
	if err != nil {
		panic(err)
	}
	defer db.Close()
	one, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1"))
	fmt.Println(one, err, db)
	// Output: 1 <nil> sqlite (a *sql.DB opened by the caller)
}

func ExampleOpenNamed() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "databases.yml")
	os.WriteFile(path, []byte("primary:\n  url: \"sqlite:///:memory:\"\n  pool: {max_conns: 4}\n"), 0o600)
	db, err := conn.OpenNamed(ctx, path, "primary")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	fmt.Println(db, db.Stats().MaxConns)
	_, err = conn.OpenNamed(ctx, path, "replica")
	fmt.Println(err != nil)
	// Output:
	// sqlite:///:memory: 4
	// true
}

// A Config encodes itself with its secrets masked, wherever it is: alone, inside a service's
// settings, through encoding/json, YAML or slog's JSON handler.
func ExampleConfig_MarshalJSON() {
	settings := struct {
		Listen string
		DB     conn.Config
	}{":8080", conn.Config{URL: "postgres://app:s3cret@db/app?sslmode=disable", Pool: conn.PoolConfig{MaxConns: 20}}}
	out, _ := json.Marshal(settings)
	fmt.Println(string(out))
	// Output: {"Listen":":8080","DB":{"url":"postgres://app:xxxxx@db/app?sslmode=disable","pool":{"max_conns":20},"sqlite":{}}}
}
