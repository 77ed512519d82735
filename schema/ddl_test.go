package schema_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
	"github.com/typedsql/typedsql/testcontainers"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestCreateSQLGolden holds the DDL each engine gets for the test descriptors, with IF NOT
// EXISTS and DROP, in testdata/ddl.golden (go test ./schema -run Golden -update rewrites it).
func TestCreateSQLGolden(t *testing.T) {
	var b bytes.Buffer
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		tables, err := schema.Describe(d, allTables...)
		if err != nil {
			t.Fatal(err)
		}
		for _, ifNot := range []bool{false, true} {
			stmts, err := schema.CreateSQL(d, tables, ifNot)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("-- " + d.Name() + " create")
			if ifNot {
				b.WriteString(" if not exists")
			}
			b.WriteString("\n" + strings.Join(stmts, ";\n") + ";\n\n")
		}
		b.WriteString("-- " + d.Name() + " drop\n" + strings.Join(schema.DropSQL(d, tables, true), ";\n") + ";\n\n")
	}
	golden(t, "testdata/ddl.golden", b.Bytes())
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update to accept):\n%s", path, got)
	}
}

// TestCreateRunsOnEveryEngine executes Create for the descriptors, then proves what the DDL
// declared is enforced: the identity numbers rows, the default fills in, the foreign key
// cascades, the unique and the check refuse bad rows; IfNotExists is a no-op the second time;
// Drop removes every table, cycle included.
func TestCreateRunsOnEveryEngine(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := context.Background()
		db := open(t, tdb)
		if err := schema.Create(ctx, db, allTables...); err != nil {
			t.Fatal(err)
		}
		if err := schema.CreateIfNotExists(ctx, db, allTables...); err != nil {
			t.Fatalf("CreateIfNotExists on existing tables: %v", err)
		}
		exec := func(q string, args ...any) error {
			_, err := db.Exec(ctx, conn.SQL(q), args...)
			return err
		}
		ph := func(q string) string { // $n on PostgreSQL, ? elsewhere
			if db.Dialect().Caps().Placeholder == '$' {
				n := 0
				return replaceEach(q, "?", func() string { n++; return "$" + string(rune('0'+n)) })
			}
			return q
		}
		insertUser := ph(`INSERT INTO users (email, name, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)`)
		if err := exec(insertUser, "a@x", "Ann"); err != nil {
			t.Fatal(err)
		}
		if err := exec(insertUser, "a@x", "Again"); !errors.Is(err, conn.ErrIntegrity) {
			t.Errorf("duplicate email: %v, want ErrIntegrity", err)
		}
		id, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT id FROM users`))
		if err != nil || id != 1 {
			t.Fatalf("identity: id %d, %v", id, err)
		}
		active, err := conn.Scalar[bool](ctx, db, conn.SQL(`SELECT active FROM users`))
		if err != nil || !active {
			t.Errorf("default TRUE: %v, %v", active, err)
		}
		if err := exec(ph(`UPDATE users SET visits = ? WHERE id = ?`), -1, id); !errors.Is(err, conn.ErrIntegrity) {
			t.Errorf("check visits >= 0: %v, want ErrIntegrity", err)
		}
		if err := exec(ph(`INSERT INTO orders (user_id, total) VALUES (?, ?)`), id, 5.5); err != nil {
			t.Fatal(err)
		}
		if err := exec(ph(`INSERT INTO orders (user_id, total) VALUES (?, ?)`), id, -1.0); !errors.Is(err, conn.ErrIntegrity) {
			t.Errorf("table check total >= 0: %v, want ErrIntegrity", err)
		}
		if err := exec(ph(`INSERT INTO orders (user_id, total) VALUES (?, ?)`), 99, 1.0); !errors.Is(err, conn.ErrIntegrity) {
			t.Errorf("foreign key to a missing user: %v, want ErrIntegrity", err)
		}
		if err := exec(ph(`INSERT INTO order_tags (order_id, tag) VALUES (?, ?)`), 1, "gift"); err != nil {
			t.Fatal(err)
		}
		status, err := conn.Scalar[string](ctx, db, conn.SQL(`SELECT status FROM orders`))
		if err != nil || status != "new" {
			t.Errorf("default 'new': %q, %v", status, err)
		}
		if err := exec(ph(`DELETE FROM users WHERE id = ?`), id); err != nil {
			t.Fatal(err)
		}
		n, err := conn.Scalar[int64](ctx, db, conn.SQL(`SELECT COUNT(*) FROM order_tags`))
		if err != nil || n != 0 {
			t.Errorf("ON DELETE CASCADE through orders to order_tags: %d rows left, %v", n, err)
		}
		// The cycle: both directions of the foreign keys hold.
		if err := exec(`INSERT INTO departments (id) VALUES (1)`); err != nil {
			t.Fatal(err)
		}
		if err := exec(`INSERT INTO employees (id, dept_id) VALUES (1, 1)`); err != nil {
			t.Fatal(err)
		}
		if err := exec(`UPDATE departments SET head_id = 1`); err != nil {
			t.Fatal(err)
		}
		if err := exec(`UPDATE departments SET head_id = 2`); !errors.Is(err, conn.ErrIntegrity) {
			t.Errorf("departments.head_id to a missing employee: %v, want ErrIntegrity", err)
		}
		if err := exec(`UPDATE departments SET head_id = NULL`); err != nil {
			t.Fatal(err)
		}
		if err := exec(`DELETE FROM employees`); err != nil {
			t.Fatal(err)
		}
		if err := schema.Drop(ctx, db, allTables...); err != nil {
			t.Fatal(err)
		}
		if err := schema.DropIfExists(ctx, db, allTables...); err != nil {
			t.Errorf("DropIfExists of dropped tables (a cycle among them): %v", err)
		}
		// One table of the cycle, without its key: nothing to drop but the table.
		if err := exec(`CREATE TABLE departments (id BIGINT PRIMARY KEY, head_id BIGINT)`); err != nil {
			t.Fatal(err)
		}
		if err := schema.DropIfExists(ctx, db, departments, employees); err != nil {
			t.Errorf("DropIfExists of half a cycle: %v", err)
		}
		if err := exec(`SELECT 1 FROM users`); err == nil {
			t.Error("users still there after Drop")
		}
	})
}

func replaceEach(s, old string, next func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		b.WriteString(next())
		s = s[i+len(old):]
	}
}

type badTable struct {
	expr.Table
	ID   expr.Column[int64]          `db:"id" schema:"identity"`
	Tags expr.Column[[]string]       `db:"tags"`
	M    expr.Column[map[string]int] `db:"m" schema:"ondelete=cascade"`
	Kind expr.Column[string]         `db:"kind" schema:"sise=10"`
	Ref  expr.Column[int64]          `db:"ref" schema:"references=users(id);ondelete=set null"`
}

// TestDescribeErrors: a Go type with no column type and malformed tags are errors naming the
// table and the field, all of them at once, and nothing runs.
func TestDescribeErrors(t *testing.T) {
	_, err := schema.Describe(dialect.Postgres, expr.NewTable[badTable]("bad"))
	if !errors.Is(err, schema.ErrDescriptor) {
		t.Fatalf("err = %v, want ErrDescriptor", err)
	}
	for _, want := range []string{
		`table "bad": field Tags: Go type []string has no postgres column type`,
		`table "bad": field M: schema tag: ondelete/onupdate without references=`,
		`table "bad": field Kind: schema tag: unknown item "sise"`,
		`table "bad": field Ref: set null on a column that cannot be NULL`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := schema.Describe(dialect.SQLite, struct{}{}); !errors.Is(err, schema.ErrDescriptor) {
		t.Errorf("a struct that is no descriptor: %v", err)
	}
	var unbound usersTable
	if _, err := schema.Describe(dialect.SQLite, &unbound); !errors.Is(err, schema.ErrDescriptor) || !errors.Is(err, expr.ErrInvalid) {
		t.Errorf("an unbound descriptor: %v", err)
	}
	db, err := conn.Open(context.Background(), "sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := schema.Create(context.Background(), db, users, expr.NewTable[badTable]("bad")); !errors.Is(err, schema.ErrDescriptor) {
		t.Fatalf("Create: %v", err)
	}
	if _, err := db.Exec(context.Background(), conn.SQL(`SELECT 1 FROM users`)); err == nil {
		t.Error("Create made a table although a descriptor was invalid")
	}
}
