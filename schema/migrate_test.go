package schema_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func migrator(t *testing.T, db *conn.DB, ms []schema.Migration, opts ...schema.MigratorOption) *schema.Migrator {
	t.Helper()
	m, err := schema.NewMigrator(db, ms, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func load(t *testing.T, fsys fstest.MapFS) []schema.Migration {
	t.Helper()
	ms, err := schema.LoadMigrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestMigrateUp: SQL files and a Go function apply in version order, once; Status and DryRun
// tell what is applied and what would run; a changed applied file and a migration older than
// an applied one are refused, the latter applied when allowed.
func TestMigrateUp(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0001_create_accounts.sql": file(`CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);
			INSERT INTO accounts (id, name) VALUES (1, 'one; with a semicolon');`),
		"m/0004_add_email.sql": file(`ALTER TABLE accounts ADD COLUMN email VARCHAR(100)`),
		"m/README.md":          file("not a migration"),
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		goStep := schema.GoMigration(2, "second account", func(ctx context.Context, db *conn.DB) error {
			_, err := db.Exec(ctx, conn.SQL(`INSERT INTO accounts (id, name) VALUES (2, 'two')`))
			return err
		})
		ms := append(load(t, fsys), goStep)
		m := migrator(t, db, ms)
		var dry bytes.Buffer
		if err := m.DryRun(ctx, &dry); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"-- 1 create accounts (m/0001_create_accounts.sql)", "INSERT INTO accounts (id, name) VALUES (1, 'one; with a semicolon');",
			"-- 2 second account (Go)\n-- a Go function", "ALTER TABLE accounts ADD COLUMN email VARCHAR(100);"} {
			if !strings.Contains(dry.String(), s) {
				t.Errorf("dry run lacks %q:\n%s", s, dry.String())
			}
		}
		if _, err := db.Exec(ctx, conn.SQL(`SELECT 1 FROM accounts`)); err == nil {
			t.Fatal("DryRun ran the migrations")
		}
		if st, err := m.Status(ctx); err != nil || len(st) != 3 || st[0].Applied {
			t.Fatalf("status before Up: %+v, %v", st, err)
		}
		if _, err := schema.Inspect(ctx, db, "", "typedsql_migrations"); !errors.Is(err, schema.ErrNoTable) {
			t.Errorf("DryRun or Status created the history table: %v", err)
		}
		applied, err := m.Up(ctx)
		if err != nil || fmt.Sprint(applied) != "[1 2 4]" {
			t.Fatalf("Up: %v, %v", applied, err)
		}
		if applied, err := m.Up(ctx); err != nil || len(applied) != 0 {
			t.Fatalf("second Up: %v, %v", applied, err)
		}
		n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM accounts`))
		if err != nil || n != 2 {
			t.Errorf("accounts: %d, %v", n, err)
		}
		st, err := m.Status(ctx)
		if err != nil || len(st) != 3 || !st[0].Applied || !st[2].Applied || st[2].AppliedAt.IsZero() {
			t.Errorf("status: %+v, %v", st, err)
		}

		// An applied file that changed is refused, naming it.
		changed := fstest.MapFS{"m/0001_create_accounts.sql": file(`CREATE TABLE accounts (id BIGINT PRIMARY KEY)`),
			"m/0004_add_email.sql": fsys["m/0004_add_email.sql"]}
		_, err = migrator(t, db, append(load(t, changed), goStep)).Up(ctx)
		if !errors.Is(err, schema.ErrMigration) || !strings.Contains(err.Error(), "m/0001_create_accounts.sql) was applied, and its file has changed") {
			t.Errorf("changed file: %v", err)
		}
		// A new migration below an applied one is refused unless allowed.
		late := schema.Migration{Version: 3, Name: "late", Statements: []string{"UPDATE accounts SET name = 'late' WHERE id = 1"}, Source: "late.sql"}
		withLate := append(load(t, fsys), goStep, late)
		_, err = migrator(t, db, withLate).Up(ctx)
		if !errors.Is(err, schema.ErrMigration) || !strings.Contains(err.Error(), "3 late (late.sql) is older than 4") {
			t.Errorf("out of order: %v", err)
		}
		if applied, err := migrator(t, db, withLate, schema.AllowOutOfOrder()).Up(ctx); err != nil || fmt.Sprint(applied) != "[3]" {
			t.Errorf("out of order, allowed: %v, %v", applied, err)
		}
		if name, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT name FROM accounts WHERE id = 1`)); err != nil || name != "late" {
			t.Errorf("the late migration: %q, %v", name, err)
		}
	})
}

// TestMigrateBadInput: a file name without a version, a file that does not split, two
// migrations with one version.
func TestMigrateBadInput(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"m/create_users.sql: the name must start with a positive version": {"m/create_users.sql": file("SELECT 1")},
		"m/0002_x.sql: line 2: unterminated ' quote":                      {"m/0002_x.sql": file("SELECT 1;\nSELECT 'x")},
	} {
		if _, err := schema.LoadMigrations(fsys, "m"); !errors.Is(err, schema.ErrMigration) || !strings.Contains(err.Error(), name) {
			t.Errorf("%v, want %q", err, name)
		}
	}
	db, err := conn.Open(context.Background(), "sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := []schema.Migration{
		{Version: 7, Name: "a", Statements: []string{"SELECT 1"}, Source: "m/0007_a.sql"},
		{Version: 7, Name: "b", Statements: []string{"SELECT 1"}, Source: "m/007_b.sql"},
	}
	if _, err := schema.NewMigrator(db, ms); !errors.Is(err, schema.ErrMigration) || !strings.Contains(err.Error(), "version 7 twice: m/0007_a.sql and m/007_b.sql") {
		t.Errorf("duplicate version: %v", err)
	}
}

// TestMigrateFailure: a statement fails in the middle of a migration. PostgreSQL and SQLite
// roll the whole migration back and record nothing; MariaDB, whose DDL commits, records the
// statements that completed, and once the failed statement is fixed Up resumes at it.
func TestMigrateFailure(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		broken := fstest.MapFS{"m/0001_two_tables.sql": file(`CREATE TABLE first_t (id INT);
			CREATE TABLE second_t (id INT NOT A TYPE);
			CREATE TABLE third_t (id INT);`)}
		_, err := migrator(t, db, load(t, broken)).Up(ctx)
		if !errors.Is(err, schema.ErrMigration) || !strings.Contains(err.Error(), "1 two tables (m/0001_two_tables.sql), statement 2 of 3") {
			t.Fatalf("Up: %v", err)
		}
		st, err := migrator(t, db, load(t, broken)).Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, firstErr := db.Exec(ctx, conn.SQL(`SELECT 1 FROM first_t`))
		transactional := db.Dialect().Caps().DDL.Transactional
		if transactional {
			if firstErr == nil || st[0].Applied || st[0].Partial {
				t.Errorf("after a failed transactional migration: first_t there: %v; status %+v", firstErr == nil, st)
			}
		} else if firstErr != nil || !st[0].Partial || st[0].Done != 1 {
			t.Errorf("after a failed migration on MySQL: first_t: %v; status %+v", firstErr, st)
		}
		fixed := fstest.MapFS{"m/0001_two_tables.sql": file(`CREATE TABLE first_t (id INT);
			CREATE TABLE second_t (id INT);
			CREATE TABLE third_t (id INT);`)}
		if _, err := migrator(t, db, load(t, fixed)).Up(ctx); err != nil {
			t.Fatalf("Up after the fix: %v", err) // on MySQL, CREATE TABLE first_t again would fail
		}
		for _, tb := range []string{"first_t", "second_t", "third_t"} {
			if _, err := db.Exec(ctx, conn.SQL(`SELECT 1 FROM `+tb)); err != nil {
				t.Errorf("%s: %v", tb, err)
			}
		}
	})
}

// TestMigrateConcurrentRunners: four runners start at once on each engine, each with its own
// connection pool; every migration runs exactly once.
func TestMigrateConcurrentRunners(t *testing.T) {
	fsys := fstest.MapFS{"m/0001_ran.sql": file(`CREATE TABLE ran (version INT NOT NULL)`)}
	for v := 2; v <= 6; v++ {
		fsys[fmt.Sprintf("m/%04d_step.sql", v)] = file(fmt.Sprintf(`INSERT INTO ran (version) VALUES (%d)`, v))
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		var wg sync.WaitGroup
		total := make(chan int, 4)
		errs := make(chan error, 4)
		for range 4 {
			db := open(t, tdb)
			m := migrator(t, db, load(t, fsys))
			wg.Go(func() {
				applied, err := m.Up(ctx)
				total <- len(applied)
				errs <- err
			})
		}
		wg.Wait()
		close(total)
		close(errs)
		sum := 0
		for n := range total {
			sum += n
		}
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		db := open(t, tdb)
		rows, err := conn.All[int64](ctx, db, conn.SQL(`SELECT version FROM ran ORDER BY version`))
		if err != nil || fmt.Sprint(rows) != "[2 3 4 5 6]" || sum != 6 {
			t.Errorf("rows %v (%v), %d migrations applied in all, want 6", rows, err, sum)
		}
	})
}

// TestMigrateConcurrentRunnersNoTransaction: 4 runners at once, each in its own pool, on
// migrations that opt out of the transaction (and would fail if run twice): each runs once.
// On SQLite the write lock alone did not keep such migrations apart; the runners now hold a
// lock file beside the database for the run.
func TestMigrateConcurrentRunnersNoTransaction(t *testing.T) {
	fsys := fstest.MapFS{"m/0001_ran.sql": file("-- typedsql:no-transaction\nCREATE TABLE ran (version INT NOT NULL)")}
	for v := 2; v <= 6; v++ {
		fsys[fmt.Sprintf("m/%04d_step.sql", v)] = file(fmt.Sprintf("-- typedsql:no-transaction\nCREATE TABLE t%d (x INT);\nINSERT INTO ran (version) VALUES (%d)", v, v))
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		var wg sync.WaitGroup
		total := make(chan int, 4)
		errs := make(chan error, 4)
		for range 4 {
			db := open(t, tdb)
			m := migrator(t, db, load(t, fsys))
			wg.Go(func() {
				applied, err := m.Up(ctx)
				total <- len(applied)
				errs <- err
			})
		}
		wg.Wait()
		close(total)
		close(errs)
		sum := 0
		for n := range total {
			sum += n
		}
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		db := open(t, tdb)
		rows, err := conn.All[int64](ctx, db, conn.SQL(`SELECT version FROM ran ORDER BY version`))
		if err != nil || fmt.Sprint(rows) != "[2 3 4 5 6]" || sum != 6 {
			t.Errorf("rows %v (%v), %d migrations applied in all, want 6", rows, err, sum)
		}
	})
}
