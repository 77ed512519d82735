package conn

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/typedsql/typedsql/txn"
)

// BatchCommit calls fn for each item of items and commits every n items: each batch of n runs
// in a transaction of its own (as DB.Transaction does, with opts), so that a long import
// neither holds one huge transaction nor pays for a COMMIT per row. It is peewee's
// batch_commit(items, n).
//
//	err := conn.BatchCommit(ctx, db, slices.Values(users), 100,
//		func(ctx context.Context, u User) error {
//			_, err := db.Exec(ctx, builder.InsertInto(Users).Values(...))
//			return err
//		}, txn.Retry(3))
//	// BEGIN; INSERT ... (100 times); COMMIT; BEGIN; INSERT ... ; COMMIT; ...
//
// items is read once: a batch is collected before its transaction begins, so txn.Retry runs
// a batch that failed with ErrSerialization again over the same items, from its first, in a
// new transaction (fn must then be safe to run again for them). A batch that still fails is
// rolled back and BatchCommit stops there, returning a *BatchError that says which batch and
// item failed: the batches before it stay committed, and the items after it are not read.
// Statements in fn belong to the batch only when made with the context fn receives. Called
// inside a transaction, where no batch could commit on its own, it returns ErrInTransaction.
func BatchCommit[T any](ctx context.Context, db *DB, items iter.Seq[T], n int, fn func(ctx context.Context, item T) error, opts ...txn.Option) error {
	switch {
	case items == nil:
		return errors.New("conn: BatchCommit: nil items")
	case fn == nil:
		return errNilFunc
	case n < 1:
		return fmt.Errorf("conn: BatchCommit: batch size %d: want 1 or more items per transaction", n)
	}
	if blockOf(db.scopeOf(ctx)) != nil {
		return ErrInTransaction
	}
	batch := make([]T, 0, n)
	committed, number := 0, 0
	run := func() error {
		failed := -1 // the index in batch of the item whose fn failed
		err := db.Transaction(ctx, func(ctx context.Context) error {
			failed = -1
			for i, it := range batch {
				if err := fn(ctx, it); err != nil {
					failed = i
					return err
				}
			}
			return nil
		}, opts...)
		if err != nil {
			e := &BatchError{Batch: number, First: committed, Size: len(batch), Item: -1, Committed: committed, Err: err}
			if failed >= 0 {
				e.Item = committed + failed
			}
			return e
		}
		committed += len(batch)
		number++
		batch = batch[:0]
		return nil
	}
	for it := range items {
		batch = append(batch, it)
		if len(batch) == n {
			if err := run(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		return run()
	}
	return nil
}

// BatchError is the error of a BatchCommit batch that failed, after its retries, and was
// rolled back. It unwraps to the error that failed it.
type BatchError struct {
	// Batch is the failed batch's number, from 0; First is the index in items of its first
	// item and Size its number of items.
	Batch, First, Size int
	// Item is the index in items of the item whose function failed, or -1 when the
	// transaction failed otherwise (BEGIN, COMMIT).
	Item int
	// Committed is how many items the batches before it committed: items[0:Committed].
	Committed int
	Err       error
}

func (e *BatchError) Error() string {
	at := "at its commit"
	if e.Item >= 0 {
		at = fmt.Sprintf("at item %d", e.Item)
	}
	return fmt.Sprintf("conn: BatchCommit: batch %d (items %d to %d) rolled back %s; the %d items before it are committed: %v",
		e.Batch, e.First, e.First+e.Size-1, at, e.Committed, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }
