package schema_test

import (
	"context"
	"fmt"
	"os"
	"testing/fstest"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/schema"
)

// A Migrator applies migrations from SQL files (an embed.FS in a program) and Go functions,
// once each, recording them in typedsql_migrations.
func ExampleMigrator_Up() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()

	files := fstest.MapFS{ // //go:embed migrations/*.sql in a program
		"migrations/0001_create_users.sql": {Data: []byte(`
			CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
			CREATE UNIQUE INDEX ux_users_email ON users (email);`)},
		"migrations/0002_add_name.sql": {Data: []byte(`ALTER TABLE users ADD COLUMN name TEXT`)},
	}
	migrations, err := schema.LoadMigrations(files, "migrations")
	if err != nil {
		panic(err)
	}
	migrations = append(migrations, schema.GoMigration(3, "first user", func(ctx context.Context, db *conn.DB) error {
		_, err := db.Exec(ctx, conn.SQL(`INSERT INTO users (email, name) VALUES ('ann@example.com', 'Ann')`))
		return err
	}))
	m, err := schema.NewMigrator(db, migrations)
	if err != nil {
		panic(err)
	}
	if err := m.DryRun(ctx, os.Stdout); err != nil {
		panic(err)
	}
	applied, err := m.Up(ctx)
	fmt.Println("applied", applied, err)
	applied, err = m.Up(ctx)
	fmt.Println("applied", applied, err)
	status, _ := m.Status(ctx)
	for _, s := range status {
		fmt.Println(s.Version, s.Name, s.Applied)
	}
	// Output:
	// -- 1 create users (migrations/0001_create_users.sql)
	// CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
	// CREATE UNIQUE INDEX ux_users_email ON users (email);
	// -- 2 add name (migrations/0002_add_name.sql)
	// ALTER TABLE users ADD COLUMN name TEXT;
	// -- 3 first user (Go)
	// -- a Go function
	// applied [1 2 3] <nil>
	// applied [] <nil>
	// 1 create users true
	// 2 add name true
	// 3 first user true
}
