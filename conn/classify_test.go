package conn_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	sqlitedrv "modernc.org/sqlite"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// classifyDB opens the harness database for the error tests. MySQL/MariaDB gets sql_mode as
// a driver argument (the driver sets unknown URL parameters as session variables on each
// connection), so that a value too long and a division by zero are errors there as on
// PostgreSQL instead of warnings, whatever the server's default mode.
func classifyDB(t *testing.T, tdb *testcontainers.Database) *conn.DB {
	url := tdb.URL
	if tdb.Engine == testcontainers.EngineMySQL {
		url += sep(url) + "sql_mode=%27STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO%27"
	}
	db := openURL(t, url)
	mustExecAll(t, db,
		ddl(db,
			`CREATE TABLE c_parent (id int PRIMARY KEY, email varchar(20) NOT NULL, qty int, code varchar(3),
				CONSTRAINT parent_email_key UNIQUE (email), CONSTRAINT qty_positive CHECK (qty > 0))`,
			`CREATE TABLE c_parent (id int PRIMARY KEY, email varchar(20) NOT NULL, qty int, code varchar(3),
				CONSTRAINT parent_email_key UNIQUE (email), CONSTRAINT qty_positive CHECK (qty > 0)) ENGINE=InnoDB`,
			`CREATE TABLE c_parent (id int PRIMARY KEY, email varchar(20) NOT NULL, qty int, code varchar(3),
				CONSTRAINT parent_email_key UNIQUE (email), CONSTRAINT qty_positive CHECK (qty > 0))`),
		`CREATE TABLE c_child (id int PRIMARY KEY, parent_id int,
			CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES c_parent (id))`,
		"INSERT INTO c_parent (id, email, qty) VALUES (1, 'a@x', 1)",
	)
	return db
}

// driverError checks that the driver's own error type is still reachable.
func driverError(t *testing.T, db *conn.DB, err error) {
	t.Helper()
	var ok bool
	switch engine(db) {
	case "postgres":
		var e *pgconn.PgError
		ok = errors.As(err, &e)
	case "sqlite":
		var e *sqlitedrv.Error
		ok = errors.As(err, &e)
	default:
		var e *mysqldrv.MySQLError
		ok = errors.As(err, &e)
	}
	if !ok {
		t.Errorf("errors.As does not reach the driver's error type through %v", err)
	}
}

func TestErrorClasses(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := classifyDB(t, tdb)
		eng := engine(db)
		classes := []error{conn.ErrIntegrity, conn.ErrData, conn.ErrOperational, conn.ErrSerialization,
			conn.ErrProgramming, conn.ErrNotSupported, conn.ErrInternal, conn.ErrInterface}
		cases := []struct {
			name       string
			sql        string
			class      error
			constraint map[string]string // by engine; "" means the engine names none
			column     string
		}{
			{"duplicate key", "INSERT INTO c_parent (id, email, qty) VALUES (2, 'a@x', 1)", conn.ErrIntegrity,
				map[string]string{"postgres": "parent_email_key", "mysql": "parent_email_key", "mariadb": "parent_email_key", "sqlite": "c_parent.email"}, ""},
			{"duplicate primary key", "INSERT INTO c_parent (id, email, qty) VALUES (1, 'b@x', 1)", conn.ErrIntegrity,
				map[string]string{"postgres": "c_parent_pkey", "mysql": "PRIMARY", "mariadb": "PRIMARY", "sqlite": "c_parent.id"}, ""},
			{"foreign key", "INSERT INTO c_child (id, parent_id) VALUES (1, 99)", conn.ErrIntegrity,
				map[string]string{"postgres": "child_parent_fk", "mysql": "child_parent_fk", "mariadb": "child_parent_fk", "sqlite": ""}, ""},
			{"not null", "INSERT INTO c_parent (id, email, qty) VALUES (3, NULL, 1)", conn.ErrIntegrity,
				map[string]string{"postgres": "", "mysql": "", "mariadb": "", "sqlite": ""}, "email"},
			{"check", "INSERT INTO c_parent (id, email, qty) VALUES (4, 'c@x', -1)", conn.ErrIntegrity,
				map[string]string{"postgres": "qty_positive", "mysql": "qty_positive", "mariadb": "qty_positive", "sqlite": "qty_positive"}, ""},
			{"bad syntax", "SELEC 1", conn.ErrProgramming, nil, ""},
			{"missing table", "SELECT * FROM no_such_table", conn.ErrProgramming, nil, ""},
			{"missing column", "SELECT no_such_column FROM c_parent", conn.ErrProgramming, nil, ""},
		}
		if eng != "sqlite" {
			// SQLite does not enforce varchar lengths and returns NULL for x/0 (see below).
			cases = append(cases,
				struct {
					name       string
					sql        string
					class      error
					constraint map[string]string
					column     string
				}{"value too long", "INSERT INTO c_parent (id, email, qty, code) VALUES (5, 'd@x', 1, 'abcd')", conn.ErrData, nil, ""},
				struct {
					name       string
					sql        string
					class      error
					constraint map[string]string
					column     string
				}{"division by zero", "INSERT INTO c_parent (id, email, qty) VALUES (6, 'e@x', 1/0)", conn.ErrData, nil, ""},
			)
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.Exec(t.Context(), conn.SQL(tc.sql))
				if err == nil {
					t.Fatalf("%s succeeded", tc.sql)
				}
				for _, c := range classes {
					if want := c == tc.class || (tc.class == conn.ErrSerialization && c == conn.ErrOperational); errors.Is(err, c) != want {
						t.Errorf("errors.Is(err, %v) = %v; err: %v", c, !want, err)
					}
				}
				if !errors.Is(err, conn.ErrDatabase) {
					t.Errorf("not an ErrDatabase: %v", err)
				}
				driverError(t, db, err)
				var ce *conn.Error
				if !errors.As(err, &ce) {
					t.Fatalf("not a *conn.Error: %v", err)
				}
				if ce.Code == "" || (eng != "sqlite" && len(ce.SQLState) != 5) {
					t.Errorf("code %q, SQLSTATE %q", ce.Code, ce.SQLState)
				}
				if want, ok := tc.constraint[eng]; ok && ce.Constraint != want {
					t.Errorf("constraint %q, want %q (%v)", ce.Constraint, want, err)
				}
				if tc.column != "" && ce.Column != tc.column {
					t.Errorf("column %q, want %q (%v)", ce.Column, tc.column, err)
				}
				if !strings.HasPrefix(err.Error(), "conn: ") {
					t.Errorf("message %q", err)
				}
			})
		}
	})
}

// TestSQLiteLaxValues records what SQLite does where the servers raise a data error: it keeps
// a value longer than a varchar's length and returns NULL for a division by zero (it has no
// mode that makes either an error). A STRICT table's type check is its data error.
func TestSQLiteLaxValues(t *testing.T) {
	db := classifyDB(t, testcontainers.SQLite(t))
	ctx := t.Context()
	mustExec(t, db, "INSERT INTO c_parent (id, email, qty, code) VALUES (5, 'd@x', 1, 'abcd')")
	if code, err := conn.Scalar[string](ctx, db, conn.SQL("SELECT code FROM c_parent WHERE id = 5")); err != nil || code != "abcd" {
		t.Errorf("varchar(3) holding 'abcd': %q, %v", code, err)
	}
	if v, err := conn.Scalar[*int64](ctx, db, conn.SQL("SELECT 1/0")); err != nil || v != nil {
		t.Errorf("1/0 = %v, %v; want NULL", v, err)
	}
	mustExec(t, db, "CREATE TABLE c_strict (n integer) STRICT")
	_, err := db.Exec(ctx, conn.SQL("INSERT INTO c_strict VALUES ('not a number')"))
	if !errors.Is(err, conn.ErrData) || errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("text into a STRICT integer column: %v; want ErrData", err)
	}
}

// TestDivisionByZeroInSelect records the servers' difference in a SELECT: PostgreSQL raises
// a data error, MariaDB/MySQL return NULL with a warning even in strict mode (strict mode
// turns it into an error only when the value is written, as TestErrorClasses does).
func TestDivisionByZeroInSelect(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := classifyDB(t, tdb)
		v, err := conn.Scalar[*int64](t.Context(), db, conn.SQL("SELECT 1/0"))
		switch engine(db) {
		case "postgres":
			if !errors.Is(err, conn.ErrData) {
				t.Errorf("SELECT 1/0: %v; want ErrData", err)
			}
		default:
			if err != nil || v != nil {
				t.Errorf("SELECT 1/0 = %v, %v; want NULL", v, err)
			}
		}
	})
}

// pinnedConn is a connection pinned by WithConn in its own goroutine, fed statements one at a
// time, so that a test can interleave two transactions.
type pinnedConn struct {
	do   chan func(context.Context)
	done chan error
}

func pinConn(t *testing.T, db *conn.DB) *pinnedConn {
	p := &pinnedConn{do: make(chan func(context.Context)), done: make(chan error, 1)}
	go func() {
		p.done <- db.WithConn(context.Background(), func(ctx context.Context) error {
			for f := range p.do {
				f(ctx)
			}
			return nil
		})
	}()
	t.Cleanup(func() {
		close(p.do)
		<-p.done
	})
	return p
}

// start runs sql on the pinned connection and returns a channel with its outcome.
func (p *pinnedConn) start(db *conn.DB, sql string) <-chan error {
	res := make(chan error, 1)
	p.do <- func(ctx context.Context) {
		_, err := db.Exec(ctx, conn.SQL(sql))
		res <- err
	}
	return res
}

func (p *pinnedConn) exec(db *conn.DB, sql string) error { return <-p.start(db, sql) }

// TestDeadlockIsSerialization makes a deadlock on purpose: two transactions each lock a row
// and then want the other's. The engine aborts one with a deadlock error, classified as
// ErrSerialization (and so ErrOperational); the other goes on.
func TestDeadlockIsSerialization(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithSQLite(conn.SQLiteConfig{BusyTimeout: conn.Duration(300 * time.Millisecond)}))
		mustExecAll(t, db,
			ddl(db, "CREATE TABLE c_dead (id int PRIMARY KEY, v int)", "CREATE TABLE c_dead (id int PRIMARY KEY, v int) ENGINE=InnoDB", "CREATE TABLE c_dead (id int PRIMARY KEY, v int)"),
			"INSERT INTO c_dead VALUES (1, 0), (2, 0)")
		a, b := pinConn(t, db), pinConn(t, db)
		begin := ddl(db, "BEGIN", "BEGIN", "BEGIN DEFERRED")
		var errA, errB error
		if engine(db) == "sqlite" {
			// SQLite locks the database, not rows: both read, then both want to write. The
			// second writer cannot upgrade its read transaction while the first holds the
			// write lock, and SQLite reports that deadlock at once as "database is locked".
			for _, p := range []*pinnedConn{a, b} {
				if err := p.exec(db, begin); err != nil {
					t.Fatal(err)
				}
				if err := p.exec(db, "SELECT count(*) FROM c_dead"); err != nil {
					t.Fatal(err)
				}
			}
			errA = a.exec(db, "UPDATE c_dead SET v = 1 WHERE id = 1")
			errB = b.exec(db, "UPDATE c_dead SET v = 1 WHERE id = 2")
		} else {
			for _, step := range []struct {
				p   *pinnedConn
				sql string
			}{{a, begin}, {b, begin}, {a, "UPDATE c_dead SET v = v + 1 WHERE id = 1"}, {b, "UPDATE c_dead SET v = v + 1 WHERE id = 2"}} {
				if err := step.p.exec(db, step.sql); err != nil {
					t.Fatal(err)
				}
			}
			waitA := a.start(db, "UPDATE c_dead SET v = v + 1 WHERE id = 2") // blocks on b's lock
			time.Sleep(100 * time.Millisecond)
			var wg sync.WaitGroup
			wg.Go(func() { errB = b.exec(db, "UPDATE c_dead SET v = v + 1 WHERE id = 1") })
			errA = <-waitA
			wg.Wait()
		}
		a.exec(db, "ROLLBACK")
		b.exec(db, "ROLLBACK")
		if (errA == nil) == (errB == nil) {
			t.Fatalf("want exactly one transaction aborted; got %v and %v", errA, errB)
		}
		err := errors.Join(errA, errB)
		if !errors.Is(err, conn.ErrSerialization) || !errors.Is(err, conn.ErrOperational) {
			t.Errorf("deadlock: %v; want ErrSerialization (an ErrOperational)", err)
		}
		driverError(t, db, err)
		t.Log(err)
	})
}
