package bench

import (
	"context"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"

	// The engines a program opens are linked by importing them (PostgreSQL is in conn).
	_ "github.com/typedsql/typedsql/conn/mysql"
	_ "github.com/typedsql/typedsql/conn/postgres"
	_ "github.com/typedsql/typedsql/conn/sqlite"
)

type benchUsersTable struct {
	expr.Table
	ID        expr.Column[int64]     `db:"id"`
	Name      expr.Column[string]    `db:"name"`
	Email     expr.Column[string]    `db:"email"`
	Active    expr.Column[bool]      `db:"active"`
	CreatedAt expr.Column[time.Time] `db:"created_at"`
}

var (
	benchUsers   = expr.NewTable[benchUsersTable]("bench_users")
	benchInserts = expr.NewTable[benchUsersTable]("bench_inserts")
)

// typedsqlImpl is typedsql: statements built with the builder at every call, as an
// application does, through conn.One, conn.All, DB.Exec and DB.Atomic, on typedsql's own pool
// (pgx's pgxpool on PostgreSQL, database/sql elsewhere).
func typedsqlImpl(tb testing.TB, env *e2eEnv) e2eImpl {
	db, err := conn.Open(context.Background(), env.db.URL)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	u, in := benchUsers, benchInserts
	return e2eImpl{
		name: "typedsql",
		one: func(ctx context.Context, id int64) (User, error) {
			return conn.One[User](ctx, db, builder.Select(u.ID, u.Name, u.Email, u.Active, u.CreatedAt).
				From(u).Where(u.ID.Eq(id)))
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			us, err := conn.All[User](ctx, db, builder.Select(u.ID, u.Name, u.Email, u.Active, u.CreatedAt).
				From(u).OrderBy(u.ID.Asc()).Limit(e2eRows))
			return len(us), func(i int) User { return us[i] }, err
		},
		insert: func(ctx context.Context, r *User) error {
			_, err := db.Exec(ctx, builder.InsertInto(in).Values(in.Name.Set(r.Name), in.Email.Set(r.Email),
				in.Active.Set(r.Active), in.CreatedAt.Set(r.CreatedAt)))
			return err
		},
		tx10: func(ctx context.Context, ids *[10]int64, emails *[10]string) error {
			return db.Atomic(ctx, func(ctx context.Context) error {
				for k, id := range ids {
					if _, err := db.Exec(ctx, builder.Update(u).Set(u.Email.Set(emails[k])).Where(u.ID.Eq(id))); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}
