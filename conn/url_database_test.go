package conn_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestURLWithoutDatabaseNamesTheDefault checks libpq's rule for postgres://host: the database
// named like the user, shown by String (it used to print postgres://host:5432/).
func TestURLWithoutDatabaseNamesTheDefault(t *testing.T) {
	t.Setenv("PGDATABASE", "")
	t.Setenv("PGUSER", "alice")
	tests := []struct{ url, want string }{
		{"postgres://dbname", "postgres://alice@dbname:5432/alice"},
		{"postgres://bob@dbname", "postgres://bob@dbname:5432/bob"},
		{"postgres+pool://bob:secret@h:6432/?max_connections=4", "postgres://bob:xxxxx@h:6432/bob"},
		{"postgres://bob@h/shop", "postgres://bob@h:5432/shop"},
	}
	for _, tt := range tests {
		r, err := config.Resolve(config.Config{URL: tt.url})
		if err != nil {
			t.Fatalf("%s: %v", tt.url, err)
		}
		if got := r.Redacted(); got != tt.want {
			t.Errorf("%s resolves to %s; want %s", tt.url, got, tt.want)
		}
	}
	t.Setenv("PGDATABASE", "fromenv")
	r, err := config.Resolve(config.Config{URL: "postgres://bob@h"})
	if err != nil || r.Database != "fromenv" {
		t.Errorf("with PGDATABASE set, database %q (%v); want fromenv, as pgx connects to", r.Database, err)
	}
}

// TestURLWithoutDatabaseConnects opens the PostgreSQL server's URL without its database: the
// server's own choice (current_database()) is the name String and connect errors show.
func TestURLWithoutDatabaseConnects(t *testing.T) {
	raw := os.Getenv(testcontainers.EnvPostgresURL)
	if raw == "" {
		t.Skip(testcontainers.EnvPostgresURL + " is not set")
	}
	t.Setenv("PGDATABASE", "")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	user := u.User.Username()
	u.Path = ""
	db := openURL(t, u.String())
	if !strings.HasSuffix(strings.SplitN(db.String(), "?", 2)[0], "/"+user) {
		t.Errorf("String %s does not name the database %q", db.String(), user)
	}
	got, err := conn.Scalar[string](t.Context(), db, conn.SQL("SELECT current_database()"))
	if err != nil {
		t.Fatal(err)
	}
	if got != user {
		t.Errorf("connected to %q; String shows %q", got, user)
	}

	// A user with no database of its name: the connect error names the database tried.
	u.User = url.UserPassword("typedsql_no_such_role", "pw")
	bad, err := conn.Open(t.Context(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	err = bad.Connect(t.Context())
	if err == nil || !strings.Contains(err.Error(), "/typedsql_no_such_role") {
		t.Errorf("connect error %v does not name the database tried", err)
	}
}

// TestSQLiteURLWithoutPath: sqlite:// is an in-memory database, shared by the DB's
// connections like sqlite:///:memory:.
func TestSQLiteURLWithoutPath(t *testing.T) {
	ctx := t.Context()
	db := openURL(t, "sqlite://")
	if got := db.String(); got != "sqlite:///:memory:" {
		t.Errorf("String %s; want sqlite:///:memory:", got)
	}
	mustExec(t, db, "CREATE TABLE t (x INTEGER)")
	mustExec(t, db, "INSERT INTO t VALUES (1)")
	err := db.WithConn(ctx, func(ctx context.Context) error {
		n, err := conn.Scalar[int](ctx, db, conn.SQL("SELECT count(*) FROM t"))
		if err == nil && n != 1 {
			err = errors.New("the table is empty on a pinned connection")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
