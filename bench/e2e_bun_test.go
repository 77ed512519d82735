package bench

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/mysqldialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/schema"

	"github.com/typedsql/typedsql/testcontainers"
)

// bun's models of the two tables.

type bunUser struct {
	bun.BaseModel `bun:"table:bench_users,alias:u"`
	ID            int64     `bun:"id,pk"`
	Name          string    `bun:"name"`
	Email         string    `bun:"email"`
	Active        bool      `bun:"active"`
	CreatedAt     time.Time `bun:"created_at"`
}

type bunInsert struct {
	bun.BaseModel `bun:"table:bench_inserts"`
	ID            int64     `bun:"id,pk,autoincrement"`
	Name          string    `bun:"name"`
	Email         string    `bun:"email"`
	Active        bool      `bun:"active"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (u *bunUser) user() User {
	return User{ID: u.ID, Name: u.Name, Email: u.Email, Active: u.Active, CreatedAt: u.CreatedAt}
}

// bunImpl is uptrace/bun: NewSelect().Model(...).Scan, NewInsert with a model, and RunInTx.
// On MariaDB and SQLite it uses the shared *sql.DB. On PostgreSQL it has a pool of its own,
// pgx's stdlib driver in the simple protocol, as bun's documentation sets pgx up: bun writes
// the values into the SQL text, so in pgx's default mode every statement would be new to the
// connection's statement cache, prepared in a round trip of its own, and would push the other
// libraries' statements out of a shared pool's cache.
func bunImpl(tb testing.TB, env *e2eEnv) e2eImpl {
	var d schema.Dialect
	sqldb := env.sql
	switch env.engine {
	case testcontainers.EnginePostgres:
		d = pgdialect.New()
		config, err := pgx.ParseConfig(env.db.URL)
		if err != nil {
			tb.Fatal(err)
		}
		config.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
		sqldb = stdlib.OpenDB(*config)
		tb.Cleanup(func() { sqldb.Close() })
	case testcontainers.EngineMySQL:
		d = mysqldialect.New()
	case testcontainers.EngineSQLite:
		d = sqlitedialect.New()
	default:
		tb.Fatalf("bun: no dialect for %s", env.engine)
	}
	db := bun.NewDB(sqldb, d)
	return e2eImpl{
		name: "bun",
		one: func(ctx context.Context, id int64) (User, error) {
			var u bunUser
			err := db.NewSelect().Model(&u).Where("id = ?", id).Scan(ctx)
			return u.user(), err
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			var us []bunUser
			err := db.NewSelect().Model(&us).Order("id").Limit(e2eRows).Scan(ctx)
			return len(us), func(i int) User { return us[i].user() }, err
		},
		insert: func(ctx context.Context, u *User) error {
			_, err := db.NewInsert().Model(&bunInsert{Name: u.Name, Email: u.Email, Active: u.Active, CreatedAt: u.CreatedAt}).Exec(ctx)
			return err
		},
		tx10: func(ctx context.Context, ids *[10]int64, emails *[10]string) error {
			return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				for k, id := range ids {
					if _, err := tx.NewUpdate().Table("bench_users").Set("email = ?", emails[k]).Where("id = ?", id).Exec(ctx); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}
