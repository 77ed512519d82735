package bench

import (
	"context"
	"testing"

	"github.com/stephenafamo/bob"
	"github.com/stephenafamo/bob/dialect/mysql"
	mim "github.com/stephenafamo/bob/dialect/mysql/im"
	msm "github.com/stephenafamo/bob/dialect/mysql/sm"
	mum "github.com/stephenafamo/bob/dialect/mysql/um"
	"github.com/stephenafamo/bob/dialect/psql"
	pim "github.com/stephenafamo/bob/dialect/psql/im"
	psm "github.com/stephenafamo/bob/dialect/psql/sm"
	pum "github.com/stephenafamo/bob/dialect/psql/um"
	"github.com/stephenafamo/bob/dialect/sqlite"
	sim "github.com/stephenafamo/bob/dialect/sqlite/im"
	ssm "github.com/stephenafamo/bob/dialect/sqlite/sm"
	sum "github.com/stephenafamo/bob/dialect/sqlite/um"
	"github.com/stephenafamo/scan"

	"github.com/typedsql/typedsql/testcontainers"
)

// bobQueries builds the benchmark's statements with one of bob's dialects (each dialect has
// its own query mod packages, so each is written out).
type bobQueries struct {
	one    func(id int64) bob.Query
	all    func() bob.Query
	insert func(u *User) bob.Query
	update func(id int64, email string) bob.Query
}

var bobCols = []any{"id", "name", "email", "active", "created_at"}

var bobDialects = map[testcontainers.Engine]bobQueries{
	testcontainers.EnginePostgres: {
		one: func(id int64) bob.Query {
			return psql.Select(psm.Columns(bobCols...), psm.From("bench_users"), psm.Where(psql.Quote("id").EQ(psql.Arg(id))))
		},
		all: func() bob.Query {
			return psql.Select(psm.Columns(bobCols...), psm.From("bench_users"), psm.OrderBy("id"), psm.Limit(e2eRows))
		},
		insert: func(u *User) bob.Query {
			return psql.Insert(pim.Into("bench_inserts", "name", "email", "active", "created_at"),
				pim.Values(psql.Arg(u.Name, u.Email, u.Active, u.CreatedAt)))
		},
		update: func(id int64, email string) bob.Query {
			return psql.Update(pum.Table("bench_users"), pum.SetCol("email").ToArg(email), pum.Where(psql.Quote("id").EQ(psql.Arg(id))))
		},
	},
	testcontainers.EngineMySQL: {
		one: func(id int64) bob.Query {
			return mysql.Select(msm.Columns(bobCols...), msm.From("bench_users"), msm.Where(mysql.Quote("id").EQ(mysql.Arg(id))))
		},
		all: func() bob.Query {
			return mysql.Select(msm.Columns(bobCols...), msm.From("bench_users"), msm.OrderBy("id"), msm.Limit(e2eRows))
		},
		insert: func(u *User) bob.Query {
			return mysql.Insert(mim.Into("bench_inserts", "name", "email", "active", "created_at"),
				mim.Values(mysql.Arg(u.Name, u.Email, u.Active, u.CreatedAt)))
		},
		update: func(id int64, email string) bob.Query {
			return mysql.Update(mum.Table("bench_users"), mum.SetCol("email").ToArg(email), mum.Where(mysql.Quote("id").EQ(mysql.Arg(id))))
		},
	},
	testcontainers.EngineSQLite: {
		one: func(id int64) bob.Query {
			return sqlite.Select(ssm.Columns(bobCols...), ssm.From("bench_users"), ssm.Where(sqlite.Quote("id").EQ(sqlite.Arg(id))))
		},
		all: func() bob.Query {
			return sqlite.Select(ssm.Columns(bobCols...), ssm.From("bench_users"), ssm.OrderBy("id"), ssm.Limit(e2eRows))
		},
		insert: func(u *User) bob.Query {
			return sqlite.Insert(sim.Into("bench_inserts", "name", "email", "active", "created_at"),
				sim.Values(sqlite.Arg(u.Name, u.Email, u.Active, u.CreatedAt)))
		},
		update: func(id int64, email string) bob.Query {
			return sqlite.Update(sum.Table("bench_users"), sum.SetCol("email").ToArg(email), sum.Where(sqlite.Quote("id").EQ(sqlite.Arg(id))))
		},
	},
}

// bobImpl is stephenafamo/bob on the shared *sql.DB (bob.NewDB): its query builder, and
// bob.One / bob.All with scan.StructMapper, written inline as bob's documentation does.
func bobImpl(tb testing.TB, env *e2eEnv) e2eImpl {
	db := bob.NewDB(env.sql)
	q, ok := bobDialects[env.engine]
	if !ok {
		tb.Fatalf("bob: no dialect for %s", env.engine)
	}
	return e2eImpl{
		name: "bob",
		one: func(ctx context.Context, id int64) (User, error) {
			return bob.One(ctx, db, q.one(id), scan.StructMapper[User]())
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			us, err := bob.All(ctx, db, q.all(), scan.StructMapper[User]())
			return len(us), func(i int) User { return us[i] }, err
		},
		insert: func(ctx context.Context, u *User) error {
			_, err := bob.Exec(ctx, db, q.insert(u))
			return err
		},
		tx10: func(ctx context.Context, ids *[10]int64, emails *[10]string) error {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			for k, id := range ids {
				if _, err := bob.Exec(ctx, tx, q.update(id, emails[k])); err != nil {
					tx.Rollback(ctx)
					return err
				}
			}
			return tx.Commit(ctx)
		},
	}
}
