package testcontainers

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The admin side opens one connection per operation and closes it at once: a long-lived admin
// pool would keep goroutines alive past the tests and trip leak checkers like goleak.

// serverVersion connects to the admin database and returns SELECT version().
func serverVersion(ctx context.Context, srv *server) (string, error) {
	var v string
	err := withAdmin(ctx, srv, func(q querier) error {
		return q.QueryRowContext(ctx, "SELECT version()").Scan(&v)
	})
	return v, err
}

// createDatabase runs CREATE DATABASE name on srv.
func createDatabase(ctx context.Context, srv *server, name string) error {
	return withAdmin(ctx, srv, func(q querier) error {
		stmt := "CREATE DATABASE " + quoteIdent(srv.engine, name)
		if srv.engine == EngineMySQL {
			// utf8mb4 whatever the server's default, so every Unicode string round-trips.
			stmt += " CHARACTER SET utf8mb4"
		}
		_, err := q.ExecContext(ctx, stmt)
		return err
	})
}

// dropDatabase drops name even while connections to it are open: a test that forgot to close a
// pool must not leave databases behind or hang its cleanup.
func dropDatabase(ctx context.Context, srv *server, name string) error {
	return withAdmin(ctx, srv, func(q querier) error {
		if srv.engine == EnginePostgres {
			// WITH (FORCE) terminates the sessions connected to it (PostgreSQL 13+).
			_, err := q.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(srv.engine, name)+" WITH (FORCE)")
			return err
		}
		// MySQL has no FORCE: an open transaction on one of its tables blocks DROP on a
		// metadata lock. Kill the sessions using it, then drop, with a short lock wait, a few
		// times in case a session reconnects in between.
		if _, err := q.ExecContext(ctx, "SET SESSION lock_wait_timeout = 5"); err != nil {
			return err
		}
		var err error
		for range 3 {
			if err = killSessions(ctx, q, name); err != nil {
				return err
			}
			if _, err = q.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(srv.engine, name)); err == nil {
				return nil
			}
		}
		return err
	})
}

// killSessions kills every other MySQL session whose current database is name.
func killSessions(ctx context.Context, q querier, name string) error {
	rows, err := q.QueryContext(ctx,
		"SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", name)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, id := range ids {
		// A session may end by itself between the SELECT and the KILL; that is no error.
		_, _ = q.ExecContext(ctx, fmt.Sprintf("KILL %d", id))
	}
	return nil
}

// querier is what the admin operations need, from a pgx connection or a *sql.Conn.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// withAdmin runs fn on one fresh connection to srv's admin database.
func withAdmin(ctx context.Context, srv *server, fn func(querier) error) error {
	var db *sql.DB
	switch srv.engine {
	case EnginePostgres:
		cfg, err := pgx.ParseConfig(srv.admin.String())
		if err != nil {
			// pgx masks the password in its parse errors.
			return err
		}
		db = stdlib.OpenDB(*cfg)
	case EngineMySQL:
		cfg, err := mysqlConfig(srv.admin)
		if err != nil {
			return err
		}
		cfg.Timeout = 10 * time.Second
		c, err := mysql.NewConnector(cfg)
		if err != nil {
			return fmt.Errorf("%s: %v", srv.admin.Redacted(), err)
		}
		db = sql.OpenDB(c)
	default:
		return fmt.Errorf("testcontainers: engine %s has no server", srv.engine.title())
	}
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(c)
}

// quoteIdent quotes a database name for e. The harness only quotes names it generated, but
// escapes anyway so the function is right for any input.
func quoteIdent(e Engine, name string) string {
	if e == EngineMySQL {
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	return pgx.Identifier{name}.Sanitize()
}
