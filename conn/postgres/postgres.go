// Package postgres links PostgreSQL into package conn, natively through pgx/v5's pgxpool (not
// database/sql). Import it for its side effect, as with a database/sql driver, in the program
// that opens "postgres" or "postgresql" URLs; programs that do not import it do not link pgx:
//
//	import (
//		"github.com/typedsql/typedsql/conn"
//		_ "github.com/typedsql/typedsql/conn/postgres" // registers "postgres"
//	)
//
//	db, err := conn.Open(ctx, "postgres://app@localhost/app?sslmode=disable")
//
// conn keeps what every engine shares (counting and bounding the connections it lends,
// sessions, blocks, reconnecting, logging); this package holds what only pgx knows: the pool
// and its connections, scan plans kept from one statement to the next, what its errors mean,
// the check of an idle connection's socket, and finding out what became of a COMMIT whose
// reply was lost. FromPool wraps a pool the caller made.
package postgres

import (
	"errors"
	"os"
	"os/user"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/internal/engine"
)

func init() {
	engine.Register(&engine.Engine{
		Schemes:         map[string]string{"postgresql": "postgres", "pgx": "postgres"},
		DefaultPort:     5432,
		DefaultDatabase: defaultDatabase,
		Systems:         map[string]string{"postgres": "postgresql"},
		Open:            open,
		Classify:        classify,
		ConnFailure:     connFailure,
		CommitFailed:    commitFailed,
		ServerCode:      serverCode,
		FailedColumn:    failedColumn,
	}, "postgres")
}

// FromPool wraps a pgxpool.Pool the caller made and keeps owning: statements, fetches and
// blocks run on it like on any DB. The pool's own settings (size, lifetimes, AfterConnect)
// stay as the caller made them; of the options, the pool's AcquireTimeout and the logging and
// tracing options apply (conn counts its own callers against the pool's MaxConns; a lease that
// finds the pool full of other code's connections is bounded by AcquireTimeout as a whole, see
// conn.PoolConfig.AcquireTimeout). Close stops this DB (waiting for its connections in use)
// and leaves the pool open.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	db, err := postgres.FromPool(pool)
//	users, err := conn.All[User](ctx, db, builder.Select(Users.ID, Users.Name).From(Users))
//	db.Close()   // pool stays open
//	pool.Close() // the caller's to close
func FromPool(p *pgxpool.Pool, opts ...conn.Option) (*conn.DB, error) {
	if p == nil {
		return nil, errors.New("postgres: FromPool: nil pool")
	}
	cfg := p.Config()
	cc := cfg.ConnConfig
	db, err := engine.WrapPool("postgres", &pool{p: p}, engine.Settings{
		Host: cc.Host, Port: int(cc.Port), User: cc.User, Password: cc.Password, Database: cc.Database,
	}, int(cfg.MaxConns), opts)
	if err != nil {
		return nil, err
	}
	return db.(*conn.DB), nil
}

// defaultDatabase is libpq's rule, which pgx follows, for a URL with no database
// (postgres://host): PGDATABASE, else the user's name; the user is the URL's, else PGUSER,
// else the operating system's user.
func defaultDatabase(u string) (string, string, error) {
	if u == "" {
		u = os.Getenv("PGUSER")
	}
	if u == "" {
		if cu, err := user.Current(); err == nil {
			u = cu.Username
		}
	}
	database := os.Getenv("PGDATABASE")
	if database == "" {
		database = u
	}
	if database == "" {
		return "", "", errors.New("URL names no database and no user to name it after: write postgres://user@host/dbname")
	}
	return u, database, nil
}
