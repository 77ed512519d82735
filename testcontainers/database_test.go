package testcontainers_test

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// Two databases from the harness are different databases: a table made in one is not in the
// other, and each handle is connected to the database its Name and URL say.
func TestFreshDatabasesAreIsolated(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, a *testcontainers.Database) {
		t.Parallel()
		b := testcontainers.Open(t, a.Engine)
		if a.Name == b.Name || a.URL == b.URL {
			t.Fatalf("two calls gave the same database: %q and %q", a.Name, b.Name)
		}
		ctx := t.Context()
		if _, err := a.SQL.ExecContext(ctx, "CREATE TABLE only_in_a (id INT)"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.SQL.ExecContext(ctx, "INSERT INTO only_in_a (id) VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := b.SQL.QueryRowContext(ctx, "SELECT count(*) FROM only_in_a").Scan(&n); err == nil {
			t.Fatalf("database %s sees the table created in %s", b.Name, a.Name)
		}
		if got := currentDatabase(t, a); got != a.Name {
			t.Errorf("db.SQL is connected to %q, want %q", got, a.Name)
		}

		// DriverName and DSN open the same database again.
		other, err := sql.Open(a.DriverName, a.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.QueryRowContext(ctx, "SELECT count(*) FROM only_in_a").Scan(&n); err != nil || n != 1 {
			t.Fatalf("DSN does not reach the database: n=%d, err=%v", n, err)
		}
	})
}

// The URL names the database in typedsql's URL form for its engine.
func TestURLForm(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, db *testcontainers.Database) {
		u, err := url.Parse(db.URL)
		if err != nil {
			t.Fatalf("URL does not parse: %v", err)
		}
		// A MariaDB server gets mariadb://, so that conn.Open speaks MariaDB's dialect to it.
		want := string(db.Engine)
		if db.MariaDB() {
			want = "mariadb"
		}
		if u.Scheme != want {
			t.Errorf("scheme %q, want %q (version %s)", u.Scheme, want, db.Version)
		}
		switch db.Engine {
		case testcontainers.EngineSQLite:
			if !strings.HasPrefix(db.URL, "sqlite:////") || !strings.HasSuffix(u.Path, "/"+db.Name+".db") {
				t.Errorf("URL %q is not sqlite:////abs/path/%s.db", db.URL, db.Name)
			}
		default:
			if u.Host == "" || u.Path != "/"+db.Name {
				t.Errorf("URL %s: want host and path /%s", db.Redacted(), db.Name)
			}
			if p, ok := u.User.Password(); ok && p != "" && strings.Contains(db.Redacted(), p) {
				t.Errorf("Redacted() shows the password")
			}
		}
		if db.Version == "" {
			t.Error("Version is empty")
		}
		if db.MariaDB() != strings.Contains(db.Version, "MariaDB") {
			t.Errorf("MariaDB()=%v for version %q", db.MariaDB(), db.Version)
		}
	})
}

// ForEach names its subtests after the engines, in order.
func TestForEachSubtestNames(t *testing.T) {
	var got []string
	testcontainers.ForEach(t, func(t *testing.T, db *testcontainers.Database) {
		got = append(got, t.Name())
		if !strings.HasSuffix(t.Name(), "/"+string(db.Engine)) {
			t.Errorf("subtest %s got a %s database", t.Name(), db.Engine)
		}
	})
	// Engines without a server skip before fn runs; SQLite always runs.
	if len(got) == 0 || got[len(got)-1] != t.Name()+"/sqlite" {
		t.Fatalf("subtests run: %v; want the last to be %s/sqlite", got, t.Name())
	}
}

func currentDatabase(t *testing.T, db *testcontainers.Database) string {
	t.Helper()
	var q string
	switch db.Engine {
	case testcontainers.EnginePostgres:
		q = "SELECT current_database()"
	case testcontainers.EngineMySQL:
		q = "SELECT DATABASE()"
	case testcontainers.EngineSQLite:
		// The main database's file; its base name is Name + ".db".
		q = "SELECT replace(file, rtrim(file, replace(file, '/', '')), '') FROM pragma_database_list WHERE name = 'main'"
	}
	var name string
	if err := db.SQL.QueryRowContext(t.Context(), q).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(name, ".db")
}
