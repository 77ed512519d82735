package bench

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
)

// The raw drivers, written by hand as a careful caller writes them: the base of the ratios.

// pgxImpl is pgx through pgxpool: QueryRow().Scan, a Next/Scan loop appending to a slice,
// Exec, and pgx.BeginFunc for the transaction.
func pgxImpl(env *e2eEnv) e2eImpl {
	pool := env.pgx
	return e2eImpl{
		name: "pgx",
		one: func(ctx context.Context, id int64) (u User, err error) {
			err = pool.QueryRow(ctx, env.oneSQL, id).Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt)
			return u, err
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			rows, err := pool.Query(ctx, env.allSQL)
			if err != nil {
				return 0, nil, err
			}
			defer rows.Close()
			var us []User
			var u User // declared once: inside the loop it would escape to the heap on every row
			for rows.Next() {
				if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt); err != nil {
					return 0, nil, err
				}
				us = append(us, u)
			}
			return len(us), func(i int) User { return us[i] }, rows.Err()
		},
		insert: func(ctx context.Context, u *User) error {
			_, err := pool.Exec(ctx, env.insertSQL, u.Name, u.Email, u.Active, u.CreatedAt)
			return err
		},
		tx10: func(ctx context.Context, ids *[10]int64, emails *[10]string) error {
			return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				for k, id := range ids {
					if _, err := tx.Exec(ctx, env.updateSQL, emails[k], id); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}

// pgxCollectImpl is pgx's own struct mapping: CollectExactlyOneRow and CollectRows with
// RowToStructByName. Its insert and transaction would be pgx's, so it has none.
func pgxCollectImpl(env *e2eEnv) e2eImpl {
	pool := env.pgx
	return e2eImpl{
		name: "pgx-collect",
		one: func(ctx context.Context, id int64) (User, error) {
			rows, _ := pool.Query(ctx, env.oneSQL, id)
			return pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[User])
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			rows, _ := pool.Query(ctx, env.allSQL)
			us, err := pgx.CollectRows(rows, pgx.RowToStructByName[User])
			return len(us), func(i int) User { return us[i] }, err
		},
	}
}

// sqlImpl is database/sql with a hand-written scan loop (through pgx's stdlib driver on
// PostgreSQL).
func sqlImpl(env *e2eEnv) e2eImpl {
	db := env.sql
	return e2eImpl{
		name: "sql",
		one: func(ctx context.Context, id int64) (u User, err error) {
			err = db.QueryRowContext(ctx, env.oneSQL, id).Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt)
			return u, err
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			rows, err := db.QueryContext(ctx, env.allSQL)
			if err != nil {
				return 0, nil, err
			}
			defer rows.Close()
			var us []User
			var u User
			for rows.Next() {
				if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Active, &u.CreatedAt); err != nil {
					return 0, nil, err
				}
				us = append(us, u)
			}
			return len(us), func(i int) User { return us[i] }, rows.Err()
		},
		insert: func(ctx context.Context, u *User) error {
			_, err := db.ExecContext(ctx, env.insertSQL, u.Name, u.Email, u.Active, u.CreatedAt)
			return err
		},
		tx10: func(ctx context.Context, ids *[10]int64, emails *[10]string) error {
			return sqlTx(ctx, db, func(tx *sql.Tx) error {
				for k, id := range ids {
					if _, err := tx.ExecContext(ctx, env.updateSQL, emails[k], id); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}

// sqlTx runs fn in a transaction of db, committed if fn returns nil, else rolled back.
func sqlTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
