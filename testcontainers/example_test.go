package testcontainers_test

import (
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// These examples compile but do not run: the harness needs a *testing.T. Each shows the body of
// a test function in a user's _test.go file.

// TestMain hands control to Main, so that Docker containers, if the harness had to start some,
// are removed when the package's tests end.
func ExampleMain() {
	_ = func(m *testing.M) { testcontainers.Main(m) } // func TestMain(m *testing.M) { ... }
}

// One test body, three subtests (postgres, mysql, sqlite), each on a fresh database.
func ExampleForEach() {
	_ = func(t *testing.T) { // func TestInsert(t *testing.T) { ... }
		testcontainers.ForEach(t, func(t *testing.T, db *testcontainers.Database) {
			t.Parallel()
			if _, err := db.SQL.ExecContext(t.Context(), "CREATE TABLE users (id INT, name VARCHAR(50))"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Postgres gives one test a PostgreSQL database of its own: db.SQL is a database/sql handle to
// it, db.URL opens it with typedsql's conn package.
func ExamplePostgres() {
	_ = func(t *testing.T) {
		db := testcontainers.Postgres(t)
		if _, err := db.SQL.ExecContext(t.Context(), "CREATE TABLE users (id bigint PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		t.Log("connect with", db.Redacted())
	}
}
