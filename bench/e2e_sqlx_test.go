package bench

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// sqlxImpl is jmoiron/sqlx on the shared *sql.DB: GetContext, SelectContext, ExecContext,
// and a Tx from BeginTxx.
func sqlxImpl(env *e2eEnv) e2eImpl {
	db := sqlx.NewDb(env.sql, env.db.DriverName)
	return e2eImpl{
		name: "sqlx",
		one: func(ctx context.Context, id int64) (u User, err error) {
			err = db.GetContext(ctx, &u, env.oneSQL, id)
			return u, err
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			var us []User
			err := db.SelectContext(ctx, &us, env.allSQL)
			return len(us), func(i int) User { return us[i] }, err
		},
		insert: func(ctx context.Context, u *User) error {
			_, err := db.ExecContext(ctx, env.insertSQL, u.Name, u.Email, u.Active, u.CreatedAt)
			return err
		},
		tx10: func(ctx context.Context, ids *[10]int64, emails *[10]string) error {
			tx, err := db.BeginTxx(ctx, nil)
			if err != nil {
				return err
			}
			for k, id := range ids {
				if _, err := tx.ExecContext(ctx, env.updateSQL, emails[k], id); err != nil {
					tx.Rollback()
					return err
				}
			}
			return tx.Commit()
		},
	}
}
