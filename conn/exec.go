package conn

import "context"

// target is where one statement runs: the handle it is rendered for and the querier (a pinned
// connection or the pool) that runs it.
type target struct {
	h *handle
	q querier
}

// targetFor resolves the DB a statement goes to (the Using override), then the connection:
// the one ctx pins for that DB, or the pool.
func (db *DB) targetFor(ctx context.Context, stmt Statement) (target, error) {
	dst, err := db.route(ctx, stmt)
	if err != nil {
		return target{}, err
	}
	if sc := dst.scopeOf(ctx); sc != nil {
		if sc.ended.Load() {
			return target{}, ErrBlockEnded
		}
		return target{h: sc.h, q: sc.sess}, nil
	}
	h, err := dst.handle()
	if err != nil {
		return target{}, err
	}
	return target{h: h, q: h.be}, nil
}

// Exec runs a statement that returns no rows: a built INSERT, UPDATE or DELETE, or SQL text
// with its arguments.
//
//	res, err := db.Exec(ctx, builder.Delete(Users).Where(Users.ID.Eq(7)))
//	// DELETE FROM "users" WHERE "users"."id" = $1
//	res, err = db.Exec(ctx, conn.SQL("DELETE FROM users WHERE id = $1"), 7)
func (db *DB) Exec(ctx context.Context, stmt Statement, args ...any) (Result, error) {
	t, err := db.targetFor(ctx, stmt)
	if err != nil {
		return Result{}, err
	}
	text, bound, err := render(t.h.d, stmt, args)
	if err != nil {
		return Result{}, err
	}
	res, err := t.q.exec(ctx, text, bound)
	return res, classify(t.h, err)
}

// Query runs a statement that returns rows. Close the Rows when done.
//
//	rows, err := db.Query(ctx, builder.Select(Users.ID, Users.Name).From(Users))
//	// SELECT "users"."id", "users"."name" FROM "users"
func (db *DB) Query(ctx context.Context, stmt Statement, args ...any) (Rows, error) {
	t, err := db.targetFor(ctx, stmt)
	if err != nil {
		return nil, err
	}
	text, bound, err := render(t.h.d, stmt, args)
	if err != nil {
		return nil, err
	}
	rows, err := t.q.query(ctx, text, bound)
	if err != nil {
		return nil, classify(t.h, err)
	}
	return classifiedRows{Rows: rows, h: t.h}, nil
}

// QueryRow runs a statement expected to return at most one row; Row.Scan reports ErrNoRows
// when it returns none.
func (db *DB) QueryRow(ctx context.Context, stmt Statement, args ...any) *Row {
	rows, err := db.Query(ctx, stmt, args...)
	return &Row{rows: rows, err: err}
}

// classifiedRows classifies the errors a result set reports while it is read.
type classifiedRows struct {
	Rows
	h *handle
}

func (r classifiedRows) Scan(dest ...any) error { return classify(r.h, r.Rows.Scan(dest...)) }
func (r classifiedRows) Err() error             { return classify(r.h, r.Rows.Err()) }
func (r classifiedRows) Close() error           { return classify(r.h, r.Rows.Close()) }
