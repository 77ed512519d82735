package conn

import "context"

// route returns the DB a statement made with ctx goes to. Without a Using override in ctx,
// that is db itself.
func (db *DB) route(ctx context.Context, stmt Statement) (*DB, error) {
	return db, nil
}
