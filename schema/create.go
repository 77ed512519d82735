package schema

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// Create creates the tables of the descriptors (the pointers expr.NewTable returns) with their
// keys, constraints, indexes and comments, ordered by their foreign keys (see CreateSQL).
// Where DDL is transactional (PostgreSQL, SQLite) it all runs in one transaction: either
// every table is created or none is.
//
//	err := schema.Create(ctx, db, Users, Orders)
//	// CREATE TABLE "users" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL, ...)
//	// CREATE TABLE "orders" (..., CONSTRAINT "fk_orders_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id"))
func Create(ctx context.Context, db *conn.DB, descriptors ...any) error {
	return create(ctx, db, descriptors, false)
}

// CreateIfNotExists is Create that leaves tables and indexes that exist already as they are
// (CREATE TABLE IF NOT EXISTS): it does not compare them with the descriptors; Check does.
func CreateIfNotExists(ctx context.Context, db *conn.DB, descriptors ...any) error {
	return create(ctx, db, descriptors, true)
}

// Drop drops the tables of the descriptors, each before the tables it references.
//
//	err := schema.Drop(ctx, db, Users, Orders)
//	// DROP TABLE "orders"
//	// DROP TABLE "users"
func Drop(ctx context.Context, db *conn.DB, descriptors ...any) error {
	return drop(ctx, db, descriptors, false)
}

// DropIfExists is Drop that skips tables that are not there (DROP TABLE IF EXISTS).
func DropIfExists(ctx context.Context, db *conn.DB, descriptors ...any) error {
	return drop(ctx, db, descriptors, true)
}

func create(ctx context.Context, db *conn.DB, descriptors []any, ifNotExists bool) error {
	d := db.Dialect()
	tables, err := Describe(d, descriptors...)
	if err != nil {
		return err
	}
	var existed func(*Table) (bool, error)
	if ifNotExists {
		existed = func(t *Table) (bool, error) {
			_, err := Inspect(ctx, db, t.Schema, t.Name)
			if errors.Is(err, ErrNoTable) {
				return false, nil
			}
			return err == nil, err
		}
	}
	stmts, err := createSQL(d, tables, ifNotExists, existed, func(s string) (bool, error) { return schemaExists(ctx, db, s) })
	if err != nil {
		return err
	}
	return run(ctx, db, stmts)
}

func drop(ctx context.Context, db *conn.DB, descriptors []any, ifExists bool) error {
	d := db.Dialect()
	tables, err := Describe(d, descriptors...)
	if err != nil {
		return err
	}
	var present func(*Table, string) (bool, error)
	if ifExists {
		present = func(t *Table, fk string) (bool, error) {
			live, err := Inspect(ctx, db, t.Schema, t.Name)
			if errors.Is(err, ErrNoTable) {
				return false, nil
			}
			return slices.ContainsFunc(live.ForeignKeys, func(k ForeignKey) bool { return k.Name == fk }), err
		}
	}
	stmts, err := dropSQL(d, tables, ifExists, present)
	if err != nil {
		return err
	}
	return run(ctx, db, stmts)
}

// schemaExists reports whether the schema name exists: Create asks before CREATE SCHEMA IF NOT
// EXISTS, which needs the right to create schemas even when there is nothing to create.
func schemaExists(ctx context.Context, db *conn.DB, name string) (bool, error) {
	var q string
	switch db.Dialect().Caps().DDL.Catalog {
	case dialect.CatalogPostgres:
		q = `SELECT COUNT(*) FROM pg_catalog.pg_namespace WHERE nspname = $1`
	case dialect.CatalogInformationSchema:
		q = `SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`
	default:
		return true, nil
	}
	n, err := conn.Scalar[int64](ctx, db, conn.SQL(q), name)
	if err != nil {
		return false, fmt.Errorf("schema: looking for schema %q: %w", name, err)
	}
	return n > 0, nil
}

// run executes DDL statements, in one transaction where the engine's DDL is transactional.
func run(ctx context.Context, db *conn.DB, stmts []string) error {
	exec := func(ctx context.Context) error {
		for _, s := range stmts {
			if _, err := db.Exec(ctx, conn.SQL(s)); err != nil {
				return fmt.Errorf("schema: %s: %w", s, err)
			}
		}
		return nil
	}
	if db.Dialect().Caps().DDL.Transactional {
		return db.Atomic(ctx, exec)
	}
	return exec(ctx)
}
