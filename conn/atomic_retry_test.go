package conn_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

// conflict makes a serialization conflict on purpose on one engine and returns what each
// block returned and how many times each block's function ran.
type conflict func(t *testing.T, e *atomicEnv, opts ...txn.Option) (errs []error, runs []int)

// conflicts holds one way per engine to make two transactions collide.
var conflicts = map[testcontainers.Engine]conflict{
	// PostgreSQL, SERIALIZABLE: the block reads row 1, another transaction updates it and
	// commits, then the block updates it: "could not serialize access due to concurrent update"
	// (40001). The second run reads the new row and goes through.
	testcontainers.EnginePostgres: func(t *testing.T, e *atomicEnv, opts ...txn.Option) ([]error, []int) {
		return readThenWrite(t, e, append(opts, txn.Serializable)...)
	},
	// SQLite, BEGIN DEFERRED: the block reads (a WAL snapshot), another connection writes and
	// commits, then the block's first write must upgrade from a stale snapshot: SQLITE_BUSY
	// (BUSY_SNAPSHOT), at once, without waiting for busy_timeout.
	testcontainers.EngineSQLite: func(t *testing.T, e *atomicEnv, opts ...txn.Option) ([]error, []int) {
		return readThenWrite(t, e, append(opts, txn.Deferred)...)
	},
	// MySQL/MariaDB: two blocks lock rows 1 and 2 in opposite orders; InnoDB finds the
	// deadlock at once and rolls one of them back (1213). The other one then goes through.
	testcontainers.EngineMySQL: crossLock,
}

var sideWrites atomic.Int64

// readThenWrite runs a block that reads row 1, lets another block change it and commit (on the
// first run only), and then updates it.
func readThenWrite(t *testing.T, e *atomicEnv, opts ...txn.Option) ([]error, []int) {
	ctx := t.Context()
	runs := 0
	err := e.db.Atomic(ctx, func(bctx context.Context) error {
		runs++
		var note string
		if err := e.db.QueryRow(bctx, conn.SQL("SELECT note FROM items WHERE id = 1")).Scan(&note); err != nil {
			return err
		}
		if runs == 1 {
			// The other block: ctx, not bctx, so another connection and transaction. The value
			// changes every time, because SQLite writes nothing for an UPDATE that changes
			// nothing.
			if err := e.db.Atomic(ctx, func(ctx context.Context) error {
				_, err := e.db.Exec(ctx, conn.SQL(fmt.Sprintf("UPDATE items SET note = 'other %d' WHERE id = 1", sideWrites.Add(1))))
				return err
			}); err != nil {
				t.Errorf("the other block: %v", err)
			}
		}
		_, err := e.db.Exec(bctx, conn.SQL("UPDATE items SET note = 'block' WHERE id = 1"))
		return err
	}, opts...)
	return []error{err}, []int{runs}
}

// crossLock runs two blocks that update rows 1 and 2 in opposite orders, each waiting on its
// first run until the other holds its first row.
func crossLock(t *testing.T, e *atomicEnv, opts ...txn.Option) ([]error, []int) {
	ctx := t.Context()
	holding := [2]chan struct{}{make(chan struct{}, 1), make(chan struct{}, 1)}
	var runs [2]atomic.Int32
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		first, second := i+1, 2-i
		wg.Go(func() {
			errs[i] = e.db.Atomic(ctx, func(ctx context.Context) error {
				n := runs[i].Add(1)
				if _, err := e.db.Exec(ctx, conn.SQL("UPDATE items SET note = 'block' WHERE id = ?"), first); err != nil {
					return err
				}
				if n == 1 {
					holding[i] <- struct{}{}
					select {
					case <-holding[1-i]:
					case <-time.After(10 * time.Second):
						t.Error("the other block never took its first lock")
					}
				}
				_, err := e.db.Exec(ctx, conn.SQL("UPDATE items SET note = 'block' WHERE id = ?"), second)
				return err
			}, opts...)
		})
	}
	wg.Wait()
	return errs, []int{int(runs[0].Load()), int(runs[1].Load())}
}

func TestAtomicRetrySerializationConflict(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=4")
		collide := conflicts[tdb.Engine]
		// Blocks that make a conflict on the side must not hold SQLite's write lock meanwhile.
		var side []txn.Option
		if tdb.Engine == testcontainers.EngineSQLite {
			side = append(side, txn.Deferred)
		}
		setup := func() {
			e.reset()
			mustExec(t, e.db, "INSERT INTO items (id, note) VALUES (1, 'initial'), (2, 'initial')")
		}

		t.Run("without retry", func(t *testing.T) {
			e.t = t
			setup()
			errs, runs := collide(t, e)
			failed := 0
			for i, err := range errs {
				switch {
				case err == nil:
				case errors.Is(err, conn.ErrSerialization):
					failed++
				default:
					t.Errorf("block %d: %v; want nil or ErrSerialization", i, err)
				}
				if runs[i] != 1 {
					t.Errorf("block %d ran %d times without Retry; want 1", i, runs[i])
				}
			}
			if failed != 1 {
				t.Errorf("%d blocks failed with ErrSerialization (%v); want exactly 1", failed, errs)
			}
			e.checkPool(t)
		})

		t.Run("with retry", func(t *testing.T) {
			e.t = t
			setup()
			errs, runs := collide(t, e, txn.Retry(3))
			total := 0
			for i, err := range errs {
				if err != nil {
					t.Errorf("block %d: %v; want it to succeed on a retry", i, err)
				}
				total += runs[i]
			}
			if total != len(runs)+1 {
				t.Errorf("blocks ran %v times; want one retry in all", runs)
			}
			var note string
			if err := e.db.QueryRow(t.Context(), conn.SQL("SELECT note FROM items WHERE id = 1")).Scan(&note); err != nil || note != "block" {
				t.Errorf("row 1 note %q, %v; want the retried block's 'block'", note, err)
			}
			e.checkPool(t)
		})

		t.Run("retry gives up", func(t *testing.T) {
			e.t = t
			setup()
			runs := 0
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				runs++
				return conflictError(t, e)
			}, append(side, txn.RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})...)
			var re *txn.RetryError
			if !errors.As(err, &re) || re.Attempts != 3 || !errors.Is(err, conn.ErrSerialization) {
				t.Errorf("error %v; want a RetryError after 3 attempts wrapping ErrSerialization", err)
			}
			if runs != 3 {
				t.Errorf("ran %d times; want 3", runs)
			}
			e.checkPool(t)
		})

		t.Run("other errors are not retried", func(t *testing.T) {
			e.t = t
			setup()
			runs := 0
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				runs++
				return e.ins(ctx, 1) // duplicate key: ErrIntegrity
			}, txn.Retry(5))
			if !errors.Is(err, conn.ErrIntegrity) || runs != 1 {
				t.Errorf("ran %d times, error %v; want once, ErrIntegrity", runs, err)
			}
		})

		t.Run("nested block is not retried alone", func(t *testing.T) {
			e.t = t
			setup()
			outerRuns, innerRuns := 0, 0
			err := e.db.Atomic(t.Context(), func(ctx context.Context) error {
				outerRuns++
				return e.db.Atomic(ctx, func(ctx context.Context) error {
					innerRuns++
					if outerRuns == 1 {
						return conflictError(t, e)
					}
					return nil
				}, txn.Retry(5))
			}, append(side, txn.Retry(2))...)
			if err != nil || outerRuns != 2 || innerRuns != 2 {
				t.Errorf("outer ran %d, inner %d times, error %v; want the whole block run twice", outerRuns, innerRuns, err)
			}
		})
	})
}

// conflictError returns a real ErrSerialization from the engine, made by a conflict on the
// side.
func conflictError(t *testing.T, e *atomicEnv) error {
	errs, _ := conflicts[e.engine](t, e)
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	t.Fatal("the conflict made no error")
	return nil
}
