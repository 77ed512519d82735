package testcontainers

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// When a test ends, its database is dropped, even though a pool the test forgot to close still
// holds a connection in an open transaction that has written to a table in it (on MySQL that
// transaction's metadata lock blocks DROP DATABASE until the session is killed).
func TestCleanupDropsDatabase(t *testing.T) {
	for _, e := range []Engine{EnginePostgres, EngineMySQL} {
		t.Run(string(e), func(t *testing.T) {
			var name string
			var stray *sql.DB
			var tx *sql.Tx
			var start time.Time
			t.Run("test", func(t *testing.T) {
				db := Open(t, e)
				name = db.Name
				if _, err := db.SQL.ExecContext(t.Context(), "CREATE TABLE t (id INT)"); err != nil {
					t.Fatal(err)
				}
				var err error
				if stray, err = sql.Open(db.DriverName, db.DSN); err != nil {
					t.Fatal(err)
				}
				// Not t.Context(): its cancellation before the cleanups would end the transaction.
				if tx, err = stray.BeginTx(context.Background(), nil); err != nil {
					t.Fatal(err)
				}
				if _, err := tx.Exec("INSERT INTO t (id) VALUES (1)"); err != nil {
					t.Fatal(err)
				}
				// Timed from here: the cleanup, not the server's first start (a container).
				start = time.Now()
			})
			if name == "" {
				return // skipped: no server
			}
			defer stray.Close()
			defer tx.Rollback() //nolint:errcheck // its connection was killed by the drop
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("the cleanup took %v: DROP waited on the open transaction", d)
			}
			srv, err := serverFor(e)
			if err != nil {
				t.Fatal(err)
			}
			if databaseExists(t, srv, name) {
				t.Fatalf("database %s still exists after its test ended", name)
			}
		})
	}
}

// A SQLite database's handle is closed and its file removed when the test ends.
func TestCleanupRemovesSQLiteFile(t *testing.T) {
	var db *Database
	t.Run("test", func(t *testing.T) {
		db = SQLite(t)
		if _, err := db.SQL.ExecContext(t.Context(), "CREATE TABLE t (id INT)"); err != nil {
			t.Fatal(err)
		}
	})
	path := strings.TrimPrefix(db.URL, "sqlite:///")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file %s: stat error %v, want not-exist", path, err)
	}
	if err := db.SQL.Ping(); err == nil {
		t.Error("db.SQL still answers after its test ended")
	}
}

func databaseExists(t *testing.T, srv *server, name string) bool {
	t.Helper()
	q := "SELECT count(*) FROM pg_database WHERE datname = $1"
	if srv.engine == EngineMySQL {
		q = "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"
	}
	var n int
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := withAdmin(ctx, srv, func(c querier) error { return c.QueryRowContext(ctx, q, name).Scan(&n) })
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}
