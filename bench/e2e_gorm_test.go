package bench

import (
	"context"
	"testing"
	"time"

	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/typedsql/typedsql/testcontainers"
)

// gorm's models of the two tables.

type gormUser struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	Email     string
	Active    bool
	CreatedAt time.Time
}

func (gormUser) TableName() string { return "bench_users" }

func (u *gormUser) user() User {
	return User{ID: u.ID, Name: u.Name, Email: u.Email, Active: u.Active, CreatedAt: u.CreatedAt}
}

type gormInsert struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	Email     string
	Active    bool
	CreatedAt time.Time
}

func (gormInsert) TableName() string { return "bench_inserts" }

// gormImpl is gorm on the shared *sql.DB (each engine's gorm driver given the pool as Conn),
// with the two settings gorm's performance guide gives: no logger, and no transaction around
// each single write (SkipDefaultTransaction). First, Find, Create, Transaction.
func gormImpl(tb testing.TB, env *e2eEnv) e2eImpl {
	var d gorm.Dialector
	switch env.engine {
	case testcontainers.EnginePostgres:
		d = postgres.New(postgres.Config{Conn: env.sql})
	case testcontainers.EngineMySQL:
		d = mysql.New(mysql.Config{Conn: env.sql})
	case testcontainers.EngineSQLite:
		d = sqlite.New(sqlite.Config{Conn: env.sql})
	default:
		tb.Fatalf("gorm: no driver for %s", env.engine)
	}
	db, err := gorm.Open(d, &gorm.Config{SkipDefaultTransaction: true, Logger: logger.Discard})
	if err != nil {
		tb.Fatal(err)
	}
	return e2eImpl{
		name: "gorm",
		one: func(ctx context.Context, id int64) (User, error) {
			var u gormUser
			err := db.WithContext(ctx).First(&u, id).Error
			return u.user(), err
		},
		all: func(ctx context.Context) (int, func(int) User, error) {
			var us []gormUser
			err := db.WithContext(ctx).Order("id").Limit(e2eRows).Find(&us).Error
			return len(us), func(i int) User { return us[i].user() }, err
		},
		insert: func(ctx context.Context, u *User) error {
			return db.WithContext(ctx).Create(&gormInsert{Name: u.Name, Email: u.Email, Active: u.Active, CreatedAt: u.CreatedAt}).Error
		},
		tx10: func(ctx context.Context, ids *[10]int64, emails *[10]string) error {
			return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				for k, id := range ids {
					if err := tx.Model(&gormUser{ID: id}).Update("email", emails[k]).Error; err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}
