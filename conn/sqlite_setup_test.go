package conn_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// sqliteURLs are a file database and an in-memory one, for tests that must hold on both.
func sqliteURLs(t *testing.T) map[string]string {
	return map[string]string{
		"file":   "sqlite:///" + filepath.Join(t.TempDir(), "setup.db"),
		"memory": "sqlite:///:memory:",
	}
}

func pragmaIs(db *conn.DB, name string, want int64) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		got, err := conn.Scalar[int64](ctx, db, conn.SQL("PRAGMA "+name))
		if err == nil && got != want {
			err = fmt.Errorf("PRAGMA %s = %d on a connection; want %d", name, got, want)
		}
		return err
	}
}

// TestSetPragmaEveryConnection: connections open and idle before SetPragma take it before
// their next statement (without being reopened), and connections opened after it run it.
func TestSetPragmaEveryConnection(t *testing.T) {
	for kind, url := range sqliteURLs(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := t.Context()
			var hooks atomic.Int64
			db := openURL(t, url+"?pool_max_conns=3", conn.WithInit(func(context.Context, conn.InitConn) error {
				hooks.Add(1)
				return nil
			}))
			onEach(t, db, 2, func(context.Context) error { return nil }) // two idle connections
			if err := db.SetPragma(ctx, "cache_size", "-1234"); err != nil {
				t.Fatal(err)
			}
			onEach(t, db, 3, pragmaIs(db, "cache_size", -1234)) // the two, and a new one
			if err := db.SetPragma(ctx, "main.cache_size", "-4321"); err != nil {
				t.Fatal(err)
			}
			onEach(t, db, 3, pragmaIs(db, "cache_size", -4321))
			if s := db.Stats(); s.NewConns != 3 || hooks.Load() != 3 {
				t.Errorf("stats %+v, %d init hook calls; want 3 connections, never reopened", s, hooks.Load())
			}
		})
	}
}

// TestSetPragmaConnectionInUse: a connection in use when SetPragma runs takes the pragma
// after it is given back, before its next statement.
func TestSetPragmaConnectionInUse(t *testing.T) {
	ctx := t.Context()
	db := openURL(t, "sqlite:///"+filepath.Join(t.TempDir(), "inuse.db")+"?pool_max_conns=2")
	err := db.WithConn(ctx, func(inner context.Context) error {
		if err := db.SetPragma(ctx, "cache_size", "-777"); err != nil {
			return err
		}
		// This block's connection was in use: it still has the default.
		got, err := conn.Scalar[int64](inner, db, conn.SQL("PRAGMA cache_size"))
		if err == nil && got == -777 {
			err = errors.New("a connection in use changed under its block")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	onEach(t, db, 2, pragmaIs(db, "cache_size", -777))
}

func TestSetPragmaErrors(t *testing.T) {
	ctx := t.Context()
	db := openURL(t, "sqlite:///"+filepath.Join(t.TempDir(), "bad.db"))
	mustExec(t, db, "CREATE TABLE keep (x INTEGER)")
	for _, tt := range []struct{ name, value, want string }{
		{"cache_size; DROP TABLE keep", "1", "pragma name"},
		{"cache_size", "", "empty value"},
		{"nosuch.cache_size", "10", "unknown database nosuch"},
	} {
		err := db.SetPragma(ctx, tt.name, tt.value)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("SetPragma(%q, %q): %v; want an error saying %q", tt.name, tt.value, err, tt.want)
		}
	}
	// A value is a number, a keyword or else a string literal: never SQL.
	if err := db.SetPragma(ctx, "application_id", "1; DROP TABLE keep"); err == nil {
		t.Log("SQLite took the string literal as a value")
	}
	if _, err := db.Exec(ctx, conn.SQL("SELECT * FROM keep")); err != nil {
		t.Errorf("a pragma value ran as SQL: %v", err)
	}
	// A refused pragma is not run on later connections.
	onEach(t, db, 3, func(context.Context) error { return nil })
	err := db.WithConn(ctx, func(ctx context.Context) error { return db.SetPragma(ctx, "cache_size", "5") })
	if err == nil || !strings.Contains(err.Error(), "inside a block") {
		t.Errorf("SetPragma inside a block: %v", err)
	}
}

// TestSQLiteSetupNotSupported: the SQLite setup methods refuse the servers.
func TestSQLiteSetupNotSupported(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			t.Skip("SQLite supports them")
		}
		db := openT(t, tdb)
		ctx := t.Context()
		for name, err := range map[string]error{
			"SetPragma": db.SetPragma(ctx, "cache_size", "1"),
			"Attach":    db.Attach(ctx, "x.db", "x"),
			"RegisterFunction": db.RegisterFunction(ctx, "f", conn.SQLFunction{Call: func([]driver.Value) (driver.Value, error) {
				return nil, nil
			}}),
		} {
			if !errors.Is(err, conn.ErrNotSupported) {
				t.Errorf("%s on %s: %v; want ErrNotSupported", name, tdb.Engine, err)
			}
		}
	})
}

// TestAttachEveryConnection: a database attached at run time is there on the connections open
// before, and on new ones; detached, it is gone from all.
func TestAttachEveryConnection(t *testing.T) {
	for kind, url := range sqliteURLs(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := t.Context()
			db := openURL(t, url+"?pool_max_conns=3")
			onEach(t, db, 2, func(context.Context) error { return nil })
			aux := filepath.Join(t.TempDir(), "aux.db")
			if err := db.Attach(ctx, aux, "aux"); err != nil {
				t.Fatal(err)
			}
			mustExecAll(t, db, "CREATE TABLE aux.notes (n INTEGER)", "INSERT INTO aux.notes VALUES (1), (2)")
			onEach(t, db, 3, func(ctx context.Context) error {
				n, err := conn.Scalar[int](ctx, db, conn.SQL("SELECT count(*) FROM aux.notes"))
				if err == nil && n != 2 {
					err = fmt.Errorf("aux.notes has %d rows on a connection; want 2", n)
				}
				return err
			})
			// The attached database is the file, even from an in-memory DB.
			other := openURL(t, "sqlite:///"+aux)
			if n, err := conn.Scalar[int](ctx, other, conn.SQL("SELECT count(*) FROM notes")); err != nil || n != 2 {
				t.Errorf("the attached file, opened on its own: %d rows, %v; want 2", n, err)
			}
			if err := db.Detach(ctx, "aux"); err != nil {
				t.Fatal(err)
			}
			onEach(t, db, 3, func(ctx context.Context) error {
				_, err := db.Exec(ctx, conn.SQL("SELECT * FROM aux.notes"))
				if !errors.Is(err, conn.ErrProgramming) {
					return fmt.Errorf("after Detach, aux.notes: %v; want ErrProgramming", err)
				}
				return nil
			})
			if err := db.Attach(ctx, filepath.Join(t.TempDir(), "nodir", "x.db"), "bad"); err == nil {
				t.Error("attaching a file in a missing directory succeeded")
			}
		})
	}
}

// TestRegisterFunctionEveryConnection: a Go function registered at run time reaches the
// connections open before (reopened) and new ones, and replaces an earlier one of its name;
// an in-memory database keeps its data across the reopening.
func TestRegisterFunctionEveryConnection(t *testing.T) {
	for kind, url := range sqliteURLs(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := t.Context()
			db := openURL(t, url+"?pool_max_conns=3")
			mustExecAll(t, db, "CREATE TABLE nums (n INTEGER)", "INSERT INTO nums VALUES (1), (2), (3)")
			onEach(t, db, 2, func(context.Context) error { return nil })
			times := func(k int64) conn.SQLFunction {
				return conn.SQLFunction{Args: 1, Deterministic: true, Call: func(args []driver.Value) (driver.Value, error) {
					n, ok := args[0].(int64)
					if !ok {
						return nil, fmt.Errorf("times: want an integer, got %T", args[0])
					}
					return n * k, nil
				}}
			}
			if err := db.RegisterFunction(ctx, "times", times(2)); err != nil {
				t.Fatal(err)
			}
			sumIs := func(want int64) func(ctx context.Context) error {
				return func(ctx context.Context) error {
					got, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT sum(times(n)) FROM nums"))
					if err == nil && got != want {
						err = fmt.Errorf("sum(times(n)) = %d; want %d", got, want)
					}
					return err
				}
			}
			onEach(t, db, 3, sumIs(12))
			if err := db.RegisterFunction(ctx, "times", times(10)); err != nil {
				t.Fatal(err)
			}
			onEach(t, db, 3, sumIs(60))
			_, err := db.Exec(ctx, conn.SQL("SELECT times('x')"))
			if err == nil || !strings.Contains(err.Error(), "want an integer") {
				t.Errorf("a function's error: %v", err)
			}
			if err := db.RegisterFunction(ctx, "bad name", times(1)); err == nil {
				t.Error("a function name with a space was accepted")
			}
			if err := db.RegisterFunction(ctx, "f", conn.SQLFunction{Args: 1}); err == nil {
				t.Error("a nil Call was accepted")
			}
		})
	}
}

// TestSQLiteMemoryInitHookPerConnection: on sqlite:///:memory: the init hook runs once per
// connection the DB uses, counted as on a file database: none at Open, one at Connect.
func TestSQLiteMemoryInitHookPerConnection(t *testing.T) {
	for kind, url := range sqliteURLs(t) {
		t.Run(kind, func(t *testing.T) {
			var hooks atomic.Int64
			db := openURL(t, url, conn.WithInit(func(context.Context, conn.InitConn) error {
				hooks.Add(1)
				return nil
			}))
			if n := hooks.Load(); n != 0 {
				t.Errorf("after Open the hook ran %d times; want 0", n)
			}
			if err := db.Connect(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n, s := hooks.Load(), db.Stats(); n != 1 || s.NewConns != 1 || s.TotalConns != 1 {
				t.Errorf("after Connect the hook ran %d times, stats %+v; want one connection", n, s)
			}
		})
	}
}
