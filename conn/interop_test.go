package conn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/testcontainers"
)

func TestFromPool(t *testing.T) {
	tdb := testcontainers.Postgres(t)
	ctx := t.Context()
	pool, err := pgxpool.New(ctx, tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db, err := postgres.FromPool(pool, conn.WithPool(conn.PoolConfig{AcquireTimeout: conn.Duration(100 * time.Millisecond)}))
	if err != nil {
		t.Fatal(err)
	}
	exerciseWrapped(t, db)
	if !strings.HasPrefix(db.String(), "postgres://") {
		t.Errorf("String = %s", db.String())
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if err := pool.Ping(ctx); err != nil {
		t.Errorf("Close closed the caller's pool: %v", err)
	}
	if _, err := postgres.FromPool(nil); err == nil {
		t.Error("FromPool(nil) succeeded")
	}
	_, err = postgres.FromPool(pool, conn.WithInit(func(context.Context, conn.InitConn) error { return nil }))
	if err == nil || !strings.Contains(err.Error(), "AfterConnect") {
		t.Errorf("init hook on a caller's pool: %v", err)
	}
}

// TestFromSQL wraps the harness's own *sql.DB on each engine (pgx's stdlib driver on
// PostgreSQL).
func TestFromSQL(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		d := map[testcontainers.Engine]dialect.Dialect{
			testcontainers.EnginePostgres: dialect.Postgres, testcontainers.EngineMySQL: dialect.MySQL, testcontainers.EngineSQLite: dialect.SQLite,
		}[tdb.Engine]
		if tdb.MariaDB() {
			d = dialect.MariaDB
		}
		db, err := conn.FromSQL(tdb.SQL, d)
		if err != nil {
			t.Fatal(err)
		}
		exerciseWrapped(t, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := tdb.SQL.PingContext(t.Context()); err != nil {
			t.Errorf("Close closed the caller's *sql.DB: %v", err)
		}
		if db.String() != d.Name()+" (a *sql.DB opened by the caller)" {
			t.Errorf("String = %s", db.String())
		}
	})
	if _, err := conn.FromSQL(nil, dialect.SQLite); err == nil {
		t.Error("FromSQL(nil) succeeded")
	}
	if _, err := conn.FromSQL(testcontainers.SQLite(t).SQL, nil); err == nil {
		t.Error("FromSQL without a dialect succeeded")
	}
}

// exerciseWrapped runs statements, fetches, a pinned block and an error through a wrapped
// pool.
func exerciseWrapped(t *testing.T, db *conn.DB) {
	t.Helper()
	ctx := t.Context()
	mustExecAll(t, db, "CREATE TABLE wrapped (id int PRIMARY KEY, name varchar(20))", "INSERT INTO wrapped VALUES (1, 'ann'), (2, 'bob')")
	names, err := conn.All[string](ctx, db, conn.SQL("SELECT name FROM wrapped ORDER BY id"))
	if err != nil || len(names) != 2 || names[1] != "bob" {
		t.Errorf("All through the wrapped pool: %v, %v", names, err)
	}
	err = db.WithConn(ctx, func(ctx context.Context) error {
		_, err := conn.One[string](ctx, db, q(db, "SELECT name FROM wrapped WHERE id = ?"), 1)
		return err
	})
	if err != nil {
		t.Error(err)
	}
	_, err = db.Exec(ctx, conn.SQL("INSERT INTO wrapped VALUES (1, 'dup')"))
	if !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("duplicate through the wrapped pool: %v; want ErrIntegrity", err)
	}
}
