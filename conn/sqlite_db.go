package conn

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/typedsql/typedsql/internal/engine"
)

// SetPragma sets a SQLite pragma on every connection of the DB: at once on one connection,
// which reports SQLite's error if it refuses, then on each other open connection before its
// next statement, and on every connection opened later (peewee's pragmas, at run time):
//
//	err := db.SetPragma(ctx, "cache_size", "-64000")
//	// PRAGMA cache_size = -64000            (on every connection)
//	err = db.SetPragma(ctx, "aux.synchronous", "OFF")
//	// PRAGMA aux.synchronous = OFF          (a database attached as aux)
//
// name is a pragma, optionally after a schema and a dot; value is a number or a keyword,
// written as it is, or else a string literal. A connection in use (an atomic block's, say)
// takes the pragma when it is given back. Call it outside any block of db: it needs a
// connection of its own. It is an error, matching ErrNotSupported, on a database that is not
// SQLite, and on a *sql.DB given to FromSQL.
func (db *DB) SetPragma(ctx context.Context, name, value string) error {
	if !pragmaName(name) {
		return fmt.Errorf("conn: SetPragma: pragma name %q: want a name such as cache_size or aux.synchronous", name)
	}
	lit, err := pragmaValue(value)
	if err != nil {
		return fmt.Errorf("conn: SetPragma %s: %w", name, err)
	}
	return db.addSetup(ctx, "SetPragma", func(*handle) setupStep {
		return setupStep{sql: "PRAGMA " + name + " = " + lit}
	})
}

// Attach attaches a database file under schema on every connection of the DB, now and later,
// as SetPragma sets a pragma: tables in it are then schema.table (expr.NewTable with the
// schema, or raw SQL).
//
//	err := db.Attach(ctx, "archive.db", "archive")
//	// ATTACH DATABASE '/abs/path/archive.db' AS "archive"   (on every connection)
//
// A relative path is made absolute now, so that every connection opens the same file whatever
// the working directory later (on an in-memory DB, the file is still a file on disk). SQLite creates a missing file. Writes to the attached file are
// queued with those of the DB's own file (see SQLiteConfig), not with other DBs opened on the
// attached file.
func (db *DB) Attach(ctx context.Context, file, schema string) error {
	if file == "" {
		return errors.New("conn: Attach: empty file name")
	}
	if schema == "" {
		return errors.New("conn: Attach: empty schema name")
	}
	if file != sqliteMemoryDatabase && !strings.HasPrefix(file, "file:") {
		abs, err := filepath.Abs(file)
		if err != nil {
			return fmt.Errorf("conn: Attach %s: %w", file, err)
		}
		file = abs
		if db.memory() {
			// ATTACH opens through the connection's VFS, which for an in-memory DB is
			// memdb: the file would be another in-memory database under the file's name.
			// A URI names the operating system's VFS.
			file = "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath() + "?vfs=" + osVFS()
		}
	}
	return db.addSetup(ctx, "Attach", func(h *handle) setupStep {
		return setupStep{sql: string(h.dialect().AppendIdent([]byte("ATTACH DATABASE ? AS "), schema)), args: []any{file}}
	})
}

// Detach detaches the database attached under schema, on every connection of the DB, now and
// later.
//
//	err := db.Detach(ctx, "archive")
//	// DETACH DATABASE "archive"
func (db *DB) Detach(ctx context.Context, schema string) error {
	if schema == "" {
		return errors.New("conn: Detach: empty schema name")
	}
	return db.addSetup(ctx, "Detach", func(h *handle) setupStep {
		return setupStep{sql: string(h.dialect().AppendIdent([]byte("DETACH DATABASE "), schema))}
	})
}

// memory reports whether the DB is an in-memory SQLite database.
func (db *DB) memory() bool {
	h, err := db.handle()
	return err == nil && h.cfg.Database == sqliteMemoryDatabase
}

// osVFS is the name of SQLite's VFS for the operating system's files.
func osVFS() string {
	if runtime.GOOS == "windows" {
		return "win32"
	}
	return "unix"
}

// SQLFunction is a Go function that SQLite statements call by name (DB.RegisterFunction).
type SQLFunction struct {
	// Args is how many arguments the function takes; -1 takes any number.
	Args int
	// Deterministic promises the same result for the same arguments, which lets SQLite use
	// the function in indexes, CHECK constraints and generated columns.
	Deterministic bool
	// Call gets the arguments as SQLite holds them (int64, float64, string, []byte or nil)
	// and returns one such value (bool and time.Time are written as the driver writes
	// them). An error fails the statement with its text.
	Call func(args []driver.Value) (driver.Value, error)
}

// RegisterFunction makes fn a SQL function named name on every connection of the DB (peewee's
// register_function, or @db.func()):
//
//	err := db.RegisterFunction(ctx, "title", conn.SQLFunction{Args: 1, Deterministic: true,
//		Call: func(args []driver.Value) (driver.Value, error) {
//			s, _ := args[0].(string)
//			return strings.ToTitle(s), nil
//		}})
//	// SELECT title(name) FROM users
//
// The driver adds functions to a connection only as it opens it, so the connections open now
// are replaced: the idle ones at once, the ones in use when they are given back. Registering
// a name again replaces the function. The DB's connections are opened through a
// modernc.org/sqlite Driver of their own from then on, which does not carry what was
// registered on the driver's package-level functions (sqlite.RegisterFunction). It is an
// error, matching ErrNotSupported, on a database that is not SQLite.
func (db *DB) RegisterFunction(ctx context.Context, name string, fn SQLFunction) error {
	switch {
	case !sqlName(name):
		return fmt.Errorf("conn: RegisterFunction: function name %q: want letters, digits and _, not starting with a digit", name)
	case fn.Call == nil:
		return fmt.Errorf("conn: RegisterFunction %s: nil Call", name)
	case fn.Args < -1 || fn.Args > 127:
		return fmt.Errorf("conn: RegisterFunction %s: %d arguments: want 0 to 127, or -1 for any number", name, fn.Args)
	}
	h, b, err := db.sqliteBackend("RegisterFunction")
	if err != nil {
		return err
	}
	f := engine.Function{Name: name, Args: fn.Args, Deterministic: fn.Deterministic, Call: fn.Call}
	if err := b.setup.addFunction(ctx, b, f); err != nil {
		return fmt.Errorf("conn: RegisterFunction %s on %s: %w", name, h.name, err)
	}
	return nil
}

// addSetup adds a step every connection runs (sqlite_setup.go).
func (db *DB) addSetup(ctx context.Context, op string, step func(*handle) setupStep) error {
	h, b, err := db.sqliteBackend(op)
	if err != nil {
		return err
	}
	if db.scopeOf(ctx) != nil {
		return fmt.Errorf("conn: %s inside a block of the DB: call it outside, where it can take a connection of its own", op)
	}
	if err := b.setup.add(ctx, b, step(h)); err != nil {
		return classify(h, fmt.Errorf("conn: %s on %s: %w", op, h.name, err))
	}
	return nil
}

// sqliteBackend returns the handle and the SQLite backend conn opened, or an error matching
// ErrNotSupported.
func (db *DB) sqliteBackend(op string) (*handle, *sqlBackend, error) {
	h, err := db.handle()
	if err != nil {
		return nil, nil, err
	}
	if b, ok := h.be.(*sqlBackend); ok && b.setup != nil {
		return h, b, nil
	}
	return nil, nil, fmt.Errorf("conn: %s: %s is not a SQLite database conn opened: %w", op, h.name, ErrNotSupported)
}

// pragmaName accepts name or schema.name.
func pragmaName(s string) bool {
	schema, name, dotted := strings.Cut(s, ".")
	if dotted {
		return sqlName(schema) && sqlName(name)
	}
	return sqlName(s)
}

// sqlName reports whether s is a bare SQL name: letters, digits and _, not starting with a
// digit.
func sqlName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// pragmaValue writes a pragma's value: a number or a keyword as it is, anything else as a
// string literal, so that no value can add SQL to the statement.
func pragmaValue(v string) (string, error) {
	if v == "" {
		return "", errors.New("empty value")
	}
	if sqlName(v) || isNumber(v) {
		return v, nil
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'", nil
}

func isNumber(s string) bool {
	s = strings.TrimLeft(s, "+-")
	digits, dots := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}
