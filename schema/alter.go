package schema

import (
	"context"
	"fmt"
	"slices"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// Op is one change to a live table, for Alter and AlterPlan. These functions make them:
// AddColumnOp, DropColumnOp, AlterColumnOp, SetNullableOp, SetDefaultOp, AddIndexOp, DropIndexOp,
// AddUniqueOp, DropUniqueOp, AddForeignKeyOp, DropForeignKeyOp, AddCheckOp, DropCheckOp, SetPrimaryKeyOp.
type Op struct {
	what string
	edit func(d dialect.Dialect, t *Table) error
}

// String names the operation, as errors do.
func (o Op) String() string { return o.what }

// Alter changes the live table schema.table by ops, the operations a Go migration calls
// (what goose and atlas users write by hand), with the statements Diff and Apply use: it
// reads the table (Inspect), applies the ops to that model, plans the difference (AlterPlan)
// and runs it (Apply). Each op is checked against the table before anything runs: dropping a
// column that is not there is an error naming the op and the table. Destructive ops run:
// the caller asked for them.
//
//	err := schema.Alter(ctx, db, "", "users",
//		schema.AddColumnOp[expr.Nullable[string]]("nickname", "size=40"),
//		schema.SetDefaultOp("visits", "0"),
//		schema.AddIndexOp(schema.Index{Name: "ix_users_nickname", Keys: schema.Keys("nickname")}),
//	)
//	// PostgreSQL: ALTER TABLE "users" ADD COLUMN "nickname" VARCHAR(40)
//	//             ALTER TABLE "users" ALTER COLUMN "visits" SET DEFAULT 0
//	//             CREATE INDEX "ix_users_nickname" ON "users" ("nickname")
//	// MySQL:      ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(40)
//	//             ALTER TABLE `users` MODIFY COLUMN `visits` INT NOT NULL DEFAULT 0
//	//             CREATE INDEX `ix_users_nickname` ON `users` (`nickname`)
//
// On SQLite, changes its ALTER TABLE has (ADD COLUMN, DROP COLUMN from 3.35, CREATE and DROP
// INDEX) run as they are; any other (a column's type, nullability or default, a key or a
// constraint) makes the whole alteration one rebuild of the table, SQLite's documented twelve
// steps (see RebuildTable): rows, indexes, triggers, views and the foreign keys pointing in
// are kept. A rebuild recreates the table from what Inspect reads of it (columns, keys,
// constraints, indexes): a table declared with what that model does not hold (AUTOINCREMENT,
// COLLATE, generated columns, WITHOUT ROWID, STRICT) is not rebuilt but refused with an
// error matching ErrUnsupportedChange, as Diff's rebuilds are. A rebuild turns foreign keys
// off, which SQLite cannot do inside a transaction: there (in a Go migration's transaction,
// an Atomic block) it is refused, since DROP TABLE would run the ON DELETE actions of the keys
// pointing at the table; give such a migration NoTransaction.
//
// Renames are RenameTable and RenameColumn; Create, Drop and DropTable make and remove tables.
func Alter(ctx context.Context, db *conn.DB, schema, table string, ops ...Op) error {
	plan, err := AlterPlan(ctx, db, schema, table, ops...)
	if err != nil {
		return err
	}
	return Apply(ctx, db, plan, AllowDestructive())
}

// AlterPlan is the plan Alter runs, without running it: for a dry run, or to print the SQL.
func AlterPlan(ctx context.Context, db *conn.DB, schema, table string, ops ...Op) (Plan, error) {
	d := db.Dialect()
	live, err := Inspect(ctx, db, schema, table)
	if err != nil {
		return Plan{}, err
	}
	want := cloneTable(&live)
	for _, op := range ops {
		if err := op.edit(d, &want); err != nil {
			return Plan{}, fmt.Errorf("schema: %s on table %q: %w", op.what, live.QualifiedName(), err)
		}
	}
	p, err := newPlanner(ctx, db)
	if err != nil {
		return Plan{}, err
	}
	p.exactDefaults = true
	chs := p.diffTable(&want, &live)
	if rebuilds(d) && slices.ContainsFunc(chs, func(c Change) bool { return c.Unsupported != "" }) {
		rb, err := rebuild(ctx, db, &want, &live, chs)
		if err != nil {
			return Plan{}, err
		}
		chs = []Change{rb}
	}
	return Plan{Changes: chs}, nil
}

// DropTable drops the table schema.table, by name: a migration need not keep the descriptor
// of a table it removes.
//
//	err := schema.DropTable(ctx, db, "", "legacy_orders")
//	// DROP TABLE "legacy_orders"
func DropTable(ctx context.Context, db *conn.DB, schema, table string) error {
	return run(ctx, db, []string{string(appendTableName([]byte("DROP TABLE "), db.Dialect(), schema, table))})
}

func cloneTable(t *Table) Table {
	c := *t
	c.Columns = slices.Clone(t.Columns)
	c.PrimaryKey = slices.Clone(t.PrimaryKey)
	c.Uniques = slices.Clone(t.Uniques)
	c.Indexes = slices.Clone(t.Indexes)
	c.ForeignKeys = slices.Clone(t.ForeignKeys)
	c.Checks = slices.Clone(t.Checks)
	return c
}
