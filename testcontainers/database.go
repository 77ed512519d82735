package testcontainers

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Database is a fresh database that exists for one test.
type Database struct {
	Engine Engine
	// URL names the database in typedsql's URL form, for conn.Open:
	//
	//	postgres://user[:password]@host:port/name?sslmode=disable
	//	mysql://user[:password]@host:port/name      (a MySQL server)
	//	mariadb://user[:password]@host:port/name    (a MariaDB server: the MariaDB dialect)
	//	sqlite:////absolute/path/name.db
	//
	// It may hold a password: log Redacted(), not URL.
	URL string
	// Name is the database's name on the server (the file's base name for SQLite).
	Name string
	// SQL is an open database/sql handle to the database, closed in t.Cleanup: pgx's stdlib
	// driver for PostgreSQL, go-sql-driver/mysql with parseTime=true for MySQL, modernc.org/sqlite
	// with busy_timeout(5000), foreign_keys(1) and _time_format=sqlite for SQLite.
	SQL *sql.DB
	// DriverName and DSN are what sql.Open needs to open another handle like SQL
	// ("pgx", "mysql" or "sqlite"). The DSN may hold a password.
	DriverName, DSN string
	// Version is the server's version string, e.g. "PostgreSQL 16.4 ...",
	// "10.11.6-MariaDB-0+deb12u1" or, for SQLite, "3.50.4".
	Version string
}

// MariaDB reports whether the database is on a MariaDB server rather than MySQL.
func (d *Database) MariaDB() bool {
	return d.Engine == EngineMySQL && strings.Contains(d.Version, "MariaDB")
}

// Redacted is URL with any password replaced by "xxxxx", for messages.
func (d *Database) Redacted() string {
	u, err := url.Parse(d.URL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Postgres returns a fresh PostgreSQL database for t, or skips t if no server is available.
func Postgres(t testing.TB) *Database {
	t.Helper()
	return Open(t, EnginePostgres)
}

// MySQL returns a fresh MySQL/MariaDB database for t, or skips t if no server is available.
func MySQL(t testing.TB) *Database {
	t.Helper()
	return Open(t, EngineMySQL)
}

// SQLite returns a fresh SQLite database in a file under t.TempDir(). It never skips.
func SQLite(t testing.TB) *Database {
	t.Helper()
	return Open(t, EngineSQLite)
}

// ForEach runs fn as three subtests, "postgres", "mysql" and "sqlite", each with its own fresh
// database. A subtest whose server is unavailable is skipped (see the package documentation);
// fn may call t.Parallel.
func ForEach(t *testing.T, fn func(t *testing.T, db *Database)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh database of engine e for t, dropped when t ends. Without a server it
// skips t, or fails it when TYPEDSQL_TEST_REQUIRE=1.
func Open(t testing.TB, e Engine) *Database {
	t.Helper()
	var db *Database
	var err error
	switch e {
	case EngineSQLite:
		db, err = openSQLite(t)
	case EnginePostgres, EngineMySQL:
		srv, serr := serverFor(e)
		if serr != nil {
			if ue := (*unavailableError)(nil); errors.As(serr, &ue) {
				if !required() {
					t.Skipf("%v; set %s=1 to make a missing server fail the test instead of skipping it", serr, EnvRequire)
				}
				t.Fatalf("%v (failing, not skipping, because %s is set)", serr, EnvRequire)
			}
			t.Fatal(serr)
		}
		db, err = openServer(t, srv)
	default:
		t.Fatalf("testcontainers: unknown engine %q; want one of %v", e, Engines)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := tally(e, t.Name()); err != nil {
		t.Errorf("testcontainers: %s: %v", EnvTally, err)
	}
	return db
}

func openSQLite(t testing.TB) (*Database, error) {
	name := databaseName(t)
	path := filepath.Join(t.TempDir(), name+".db")
	db := &Database{Engine: EngineSQLite, URL: sqliteURL(path), Name: name, DriverName: "sqlite", DSN: sqliteDSN(path)}
	h, err := sql.Open(db.DriverName, db.DSN)
	if err != nil {
		return nil, err
	}
	// Registered after t.TempDir's removal, so it runs before it.
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("testcontainers: closing SQLite %s: %v", path, err)
		}
	})
	if err := h.QueryRowContext(context.Background(), "SELECT sqlite_version()").Scan(&db.Version); err != nil {
		return nil, err
	}
	db.SQL = h
	return db, nil
}

// openServer creates the database on srv, registers its drop, and opens db.SQL.
func openServer(t testing.TB, srv *server) (*Database, error) {
	name := databaseName(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := createDatabase(ctx, srv, name); err != nil {
		return nil, opError("creating", srv, name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := dropDatabase(ctx, srv, name); err != nil {
			t.Error(opError("dropping", srv, name, err))
		}
	})
	u := withDatabase(srv.admin, name)
	db := &Database{Engine: srv.engine, Name: name, Version: srv.version}
	if db.MariaDB() {
		// conn.Open picks the dialect by scheme: a MariaDB server must be mariadb://, or the
		// statements typedsql renders for it are MySQL's (RETURNING refused, FOR SHARE a
		// syntax error on MariaDB).
		m := *u
		m.Scheme = "mariadb"
		db.URL = m.String()
	} else {
		db.URL = u.String()
	}
	var h *sql.DB
	switch srv.engine {
	case EnginePostgres:
		cfg, err := pgx.ParseConfig(db.URL)
		if err != nil {
			return nil, opError("opening", srv, name, err)
		}
		db.DriverName, db.DSN = "pgx", db.URL
		h = stdlib.OpenDB(*cfg)
	case EngineMySQL:
		cfg, err := mysqlConfig(u)
		if err != nil {
			return nil, opError("opening", srv, name, err)
		}
		c, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, opError("opening", srv, name, err)
		}
		db.DriverName, db.DSN = "mysql", cfg.FormatDSN()
		h = sql.OpenDB(c)
	}
	// Registered after the drop, so it runs before it.
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("testcontainers: closing %s: %v", db.Redacted(), err)
		}
	})
	if err := h.PingContext(ctx); err != nil {
		return nil, opError("connecting to", srv, name, err)
	}
	db.SQL = h
	return db, nil
}

func opError(op string, srv *server, name string, err error) error {
	return &harnessError{op: op, engine: srv.engine, name: name, server: srv.admin.Redacted(), source: srv.source, err: err}
}

// harnessError says which step failed on which server; the server URL is redacted.
type harnessError struct {
	op, name, server, source string
	engine                   Engine
	err                      error
}

func (e *harnessError) Error() string {
	return "testcontainers: " + e.op + " " + e.engine.title() + " database " + e.name +
		" on " + e.server + " (from " + e.source + "): " + e.err.Error()
}

func (e *harnessError) Unwrap() error { return e.err }

// databaseName is a new name for t's database: a fixed prefix that marks it as the harness's,
// random hex so parallel tests and test binaries never collide, then as much of the test's
// name as fits, so a database left behind by a killed run tells whose it was. Lower-case
// letters, digits and '_' only, within PostgreSQL's 63 and MySQL's 64 byte limits.
func databaseName(t testing.TB) string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	var sb strings.Builder
	sb.WriteString("tsql_")
	sb.WriteString(hex.EncodeToString(b[:]))
	sb.WriteByte('_')
	under := false
	for _, r := range strings.ToLower(t.Name()) {
		if sb.Len() >= 48 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
			under = false
		} else if !under {
			sb.WriteByte('_')
			under = true
		}
	}
	return strings.TrimRight(sb.String(), "_")
}
