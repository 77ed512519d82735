package conn

import (
	"context"
	"errors"
	"fmt"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

// InsertBatched runs an INSERT ... VALUES of any number of rows: cut where one statement
// would bind more arguments than the engine takes (65535 on PostgreSQL and MySQL/MariaDB,
// 32766 on SQLite; see builder.InsertStmt.Batches), the statements run in order in one
// transaction, so that either every row is inserted or none is. Inside a block (Atomic,
// WithConn, the HTTP middleware) they run on the block's connection, in a savepoint of its
// transaction (see Atomic): a failure rolls back this insert only, and the block decides about
// the rest. A statement that fits runs alone, as Exec runs it.
//
//	ins := builder.InsertInto(Products).Grow(len(products))
//	for _, p := range products { // 20,000 rows of 4 columns
//		ins.Values(Products.SKU.Set(p.SKU), Products.Name.Set(p.Name), Products.Price.Set(p.Price), Products.Stock.Set(p.Stock))
//	}
//	res, err := db.InsertBatched(ctx, ins)
//	// BEGIN
//	// INSERT INTO "products" ("sku", "name", "price", "stock") VALUES ($1, $2, $3, $4), ... (16,383 rows)
//	// INSERT INTO "products" ("sku", "name", "price", "stock") VALUES ($1, $2, $3, $4), ... (3,617 rows)
//	// COMMIT
//
// RowsAffected is the sum over the statements; LastInsertID is what the last one reported.
// On MySQL/MariaDB a statement is also bounded by the server's max_allowed_packet (16 MB by
// default), which rows of large text or blobs can reach before the argument limit. On
// PostgreSQL, package conn/postgres's CopyFrom loads the same rows faster, with COPY, and
// CopyFromSeq streams them from a slice or iterator without a statement holding them all.
func (db *DB) InsertBatched(ctx context.Context, stmt *builder.InsertStmt) (Result, error) {
	if stmt == nil {
		return Result{}, errNilStatement
	}
	t, err := db.lookupTarget(ctx, stmt)
	if err != nil {
		return Result{}, err
	}
	batches := stmt.Batches(t.h.dialect())
	if len(batches) == 1 {
		return db.Exec(ctx, stmt)
	}
	var total Result
	err = t.db.Atomic(ctx, func(ctx context.Context) error {
		for _, b := range batches {
			res, err := db.Exec(ctx, b)
			if err != nil {
				return err
			}
			total.RowsAffected += res.RowsAffected
			total.LastInsertID = res.LastInsertID
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return total, nil
}

// Integer is the constraint of InsertID's id column: the integer types, and types defined
// on them, which every engine can number rows with.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// InsertID runs an INSERT of one row and returns the id the database gave it, the same call
// on every engine: INSERT ... RETURNING id where the engine has it (PostgreSQL, SQLite,
// MariaDB), and the driver's last insert id on MySQL, which has no RETURNING. The id column
// must be an integer (an AUTO_INCREMENT, IDENTITY or INTEGER PRIMARY KEY column): a column
// of another type does not compile, because MySQL could not report it.
//
//	id, err := conn.InsertID(ctx, db, builder.InsertInto(Users).Values(Users.Name.Set("ann")), Users.ID)
//	// postgres, sqlite, mariadb: INSERT INTO "users" ("name") VALUES ($1) RETURNING "id"
//	// mysql:                    INSERT INTO `users` (`name`) VALUES (?), then LAST_INSERT_ID()
//
// An insert that adds no row (Ignore, or an upsert's DoNothing, meeting a duplicate) returns
// ErrNoRows. With an upsert's DoUpdate, RETURNING gives the id of the row inserted or
// updated; MySQL reports no id for an updated row, which is an error there. A RETURNING
// clause of the statement's own is replaced (the statement itself is not changed). The
// statement must insert one row (VALUES or DEFAULT VALUES): for many, use Returning with
// conn.All.
func InsertID[T Integer](ctx context.Context, db *DB, stmt *builder.InsertStmt, id expr.Column[T]) (T, error) {
	var zero T
	if stmt == nil {
		return zero, errNilStatement
	}
	if n := stmt.Rows(); n != 1 {
		return zero, fmt.Errorf("conn: InsertID inserts one row; the statement inserts %d: use Returning and conn.All for many", n)
	}
	t, err := db.lookupTarget(ctx, stmt)
	if err != nil {
		return zero, err
	}
	caps := t.h.dialect().Caps()
	switch {
	case caps.InsertReturning:
		return Scalar[T](ctx, db, stmt.WithReturning(id))
	case caps.LastInsertID:
		res, err := db.Exec(ctx, stmt)
		switch {
		case err != nil:
			return zero, err
		case res.RowsAffected == 0:
			return zero, ErrNoRows
		case res.RowsAffected > 1:
			// ON DUPLICATE KEY UPDATE counts an updated row twice.
			return zero, errors.New("conn: InsertID: the upsert updated an existing row, whose id MySQL does not report: select it by its unique key")
		}
		return T(res.LastInsertID), nil
	}
	return zero, fmt.Errorf("conn: InsertID: %s has neither INSERT ... RETURNING nor a last insert id", t.h.dialect().Name())
}
