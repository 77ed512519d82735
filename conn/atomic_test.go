package conn_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

var (
	errInner = errors.New("inner block failed")
	errOuter = errors.New("outer block failed")
	errMid   = errors.New("middle block failed")
	// errJoinedPanic: the outer block reported that a joined Transaction panicked.
	errJoinedPanic = errors.New("joined Transaction panicked")
)

// atomicCase is one row of the semantics matrix: run makes the blocks (e.ins inserts a row,
// e.hooks registers hooks logging "commit:name"/"rollback:name") and returns what the
// outermost call returned; the rows left, the hooks run, and the error or panic are checked.
type atomicCase struct {
	name      string
	run       func(ctx context.Context, e *atomicEnv) error
	wantIDs   []int64
	wantErr   error // nil: no error; otherwise errors.Is must hold
	wantPanic any
	wantLog   []string
}

var atomicCases = []atomicCase{
	{
		name: "nested success",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				return e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					return nil
				})
			})
		},
		wantIDs: []int64{1, 2},
		wantLog: []string{"commit:a", "commit:b"},
	},
	{
		name: "inner error, outer success",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				err := e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					return errInner
				})
				if err != errInner {
					e.t.Errorf("inner Atomic returned %v; want errInner as it is", err)
				}
				e.must(ctx, 3)
				return nil
			})
		},
		wantIDs: []int64{1, 3},
		wantLog: []string{"rollback:b", "commit:a"},
	},
	{
		name: "outer error after inner success",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				if err := e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					return nil
				}); err != nil {
					e.t.Errorf("inner: %v", err)
				}
				return errOuter
			})
		},
		wantErr: errOuter,
		wantLog: []string{"rollback:a", "rollback:b"},
	},
	{
		name: "failed statement in inner block, outer goes on",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				err := e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					return e.ins(ctx, 1) // duplicate key: PostgreSQL aborts the transaction
				})
				if !errors.Is(err, conn.ErrIntegrity) {
					e.t.Errorf("inner Atomic returned %v; want ErrIntegrity", err)
				}
				return e.ins(ctx, 3) // works: the savepoint rollback cleared the aborted state
			})
		},
		wantIDs: []int64{1, 3},
	},
	{
		name: "explicit rollback then continue",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				blk, err := e.db.Block(ctx)
				if err != nil {
					return err
				}
				if err := blk.Rollback(ctx); err != nil {
					return err
				}
				e.must(ctx, 2)
				e.hooks(ctx, "b")
				return nil
			})
		},
		wantIDs: []int64{2},
		wantLog: []string{"rollback:a", "commit:b"},
	},
	{
		name: "explicit commit then outer error",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				blk, _ := e.db.Block(ctx)
				if err := blk.Commit(ctx); err != nil {
					return err
				}
				e.must(ctx, 2)
				e.hooks(ctx, "b")
				return errOuter
			})
		},
		wantIDs: []int64{1},
		wantErr: errOuter,
		wantLog: []string{"commit:a", "rollback:b"},
	},
	{
		name: "explicit rollback in nested block then continue",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				return e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					blk, _ := e.db.Block(ctx)
					if blk.Depth() != 2 {
						e.t.Errorf("nested block depth %d; want 2", blk.Depth())
					}
					if err := blk.Rollback(ctx); err != nil {
						return err
					}
					e.must(ctx, 3)
					e.hooks(ctx, "c")
					return nil
				})
			})
		},
		wantIDs: []int64{1, 3},
		wantLog: []string{"rollback:b", "commit:c"},
	},
	{
		name: "explicit commit in nested block, then it fails",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				err := e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					blk, _ := e.db.Block(ctx)
					if err := blk.Commit(ctx); err != nil {
						return err
					}
					e.must(ctx, 3)
					e.hooks(ctx, "c")
					return errInner
				})
				if err != errInner {
					e.t.Errorf("inner: %v", err)
				}
				return nil
			})
		},
		wantIDs: []int64{1, 2},
		wantLog: []string{"rollback:c", "commit:b"},
	},
	{
		name: "panic in inner block, recovered by the outer",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				func() {
					defer func() {
						if r := recover(); r != "inner boom" {
							e.t.Errorf("recovered %v; want the inner panic", r)
						}
					}()
					e.db.Atomic(ctx, func(ctx context.Context) error {
						e.must(ctx, 2)
						e.hooks(ctx, "b")
						panic("inner boom")
					})
				}()
				e.must(ctx, 3)
				return nil
			})
		},
		wantIDs: []int64{1, 3},
		wantLog: []string{"rollback:b", "commit:a"},
	},
	{
		name: "panic in inner block, not recovered",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				return e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					panic("inner boom")
				})
			})
		},
		wantPanic: "inner boom",
		wantLog:   []string{"rollback:b", "rollback:a"},
	},
	{
		name: "panic in outer block after inner success",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					return nil
				})
				panic("outer boom")
			})
		},
		wantPanic: "outer boom",
		wantLog:   []string{"rollback:a", "rollback:b"},
	},
	{
		name: "three levels, all succeed",
		run: func(ctx context.Context, e *atomicEnv) error {
			return three(ctx, e, nil, nil, nil)
		},
		wantIDs: []int64{1, 2, 3},
		wantLog: []string{"commit:a", "commit:b", "commit:c"},
	},
	{
		name: "three levels, innermost fails",
		run: func(ctx context.Context, e *atomicEnv) error {
			return three(ctx, e, nil, nil, errInner)
		},
		wantIDs: []int64{1, 2, 20},
		wantLog: []string{"rollback:c", "commit:a", "commit:b"},
	},
	{
		name: "three levels, middle fails after innermost succeeded",
		run: func(ctx context.Context, e *atomicEnv) error {
			return three(ctx, e, nil, errMid, nil)
		},
		wantIDs: []int64{1, 10},
		wantLog: []string{"rollback:b", "rollback:c", "commit:a"},
	},
	{
		name: "three levels, outermost fails",
		run: func(ctx context.Context, e *atomicEnv) error {
			return three(ctx, e, errOuter, nil, nil)
		},
		wantErr: errOuter,
		wantLog: []string{"rollback:a", "rollback:b", "rollback:c"},
	},
	{
		name: "three levels, panic in the innermost",
		run: func(ctx context.Context, e *atomicEnv) error {
			return three(ctx, e, nil, nil, "panic")
		},
		wantPanic: "three",
		wantLog:   []string{"rollback:c", "rollback:b", "rollback:a"},
	},
	{
		name: "explicit Transaction and Savepoint",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Transaction(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				if err := e.db.Savepoint(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					return errInner
				}); err != errInner {
					e.t.Errorf("Savepoint: %v", err)
				}
				if err := e.db.Transaction(ctx, func(ctx context.Context) error { return e.ins(ctx, 4) }); err != nil {
					e.t.Errorf("Transaction inside a transaction: %v; want it to join", err)
				}
				return e.db.Savepoint(ctx, func(ctx context.Context) error { return e.ins(ctx, 3) })
			})
		},
		wantIDs: []int64{1, 3, 4},
	},
	{
		name: "Transaction inside a transaction joins it, with no savepoint",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Transaction(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				outer, _ := e.db.Block(ctx)
				return e.db.Transaction(ctx, func(ctx context.Context) error {
					if inner, _ := e.db.Block(ctx); inner != outer || inner.Depth() != 1 {
						e.t.Errorf("the joined Transaction's block is %p at depth %d; want the outer %p at depth 1", inner, inner.Depth(), outer)
					}
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					return nil
				})
			})
		},
		wantIDs: []int64{1, 2},
		wantLog: []string{"commit:a", "commit:b"},
	},
	{
		name: "joined Transaction fails, outer drops the error: the whole transaction rolls back",
		run: func(ctx context.Context, e *atomicEnv) error {
			err := e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				err := e.db.Transaction(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					return errInner
				})
				if err != errInner {
					e.t.Errorf("joined Transaction returned %v; want errInner as it is", err)
				}
				if err := e.ins(ctx, 3); err == nil || !strings.Contains(err.Error(), "a Transaction that joined it failed") {
					e.t.Errorf("statement after the joined Transaction failed: %v; want it refused", err)
				}
				return nil // drops the error
			})
			if want := "conn: the transaction rolled back: a Transaction that joined it failed: inner block failed"; fmt.Sprint(err) != want {
				e.t.Errorf("outer: %q; want %q", err, want)
			}
			return err
		},
		wantErr: errInner,
		wantLog: []string{"rollback:a", "rollback:b"},
	},
	{
		name: "joined Transaction fails inside a savepoint: the whole transaction rolls back",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				err := e.db.Savepoint(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					return e.db.Transaction(ctx, func(ctx context.Context) error {
						e.must(ctx, 3)
						return errInner
					})
				})
				if !errors.Is(err, errInner) {
					e.t.Errorf("Savepoint: %v; want errInner", err)
				}
				return nil
			})
		},
		wantErr: errInner,
	},
	{
		name: "joined Transaction panics, outer recovers: the whole transaction rolls back",
		run: func(ctx context.Context, e *atomicEnv) error {
			err := e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				func() {
					defer func() { recover() }()
					e.db.Transaction(ctx, func(ctx context.Context) error {
						e.must(ctx, 2)
						panic("joined")
					})
				}()
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), "a Transaction that joined it did not return") {
				e.t.Errorf("outer after a joined Transaction panicked: %v", err)
				return err
			}
			return errJoinedPanic
		},
		wantErr: errJoinedPanic,
	},
	{
		name: "joined Transaction with options that disagree",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				err := e.db.Transaction(ctx, func(ctx context.Context) error { return e.ins(ctx, 2) }, txn.ReadOnly)
				var oe *txn.OptionError
				if !errors.As(err, &oe) {
					e.t.Errorf("joined Transaction with READ ONLY in a read-write transaction: %v; want an OptionError", err)
				}
				return nil
			})
		},
		wantIDs: []int64{1},
	},
	{
		name: "savepoint outside a transaction",
		run: func(ctx context.Context, e *atomicEnv) error {
			err := e.db.Savepoint(ctx, func(ctx context.Context) error { return e.ins(ctx, 1) })
			if want := "conn: Savepoint: not inside a transaction"; !strings.HasPrefix(fmt.Sprint(err), want) {
				e.t.Errorf("Savepoint outside a transaction: %q, want %q...", err, want)
			}
			return err
		},
		wantErr: conn.ErrNoTransaction,
	},
	{
		name: "hooks outside a block",
		run: func(ctx context.Context, e *atomicEnv) error {
			if _, err := e.db.Block(ctx); !errors.Is(err, conn.ErrNoTransaction) {
				e.t.Errorf("Block outside a block: %v", err)
			}
			if err := conn.OnRollback(ctx, func(context.Context) {}); !errors.Is(err, conn.ErrNoTransaction) {
				e.t.Errorf("OnRollback outside a block: %v", err)
			}
			return conn.OnCommit(ctx, func(context.Context) {})
		},
		wantErr: conn.ErrNoTransaction,
	},
	{
		name: "cancelled context in the outer block",
		run: func(ctx context.Context, e *atomicEnv) error {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.hooks(ctx, "a")
				cancel()
				return nil
			})
		},
		wantErr: context.Canceled,
		wantLog: []string{"rollback:a"},
	},
	{
		name: "cancelled context in the inner block, outer goes on",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				ictx, cancel := context.WithCancel(ctx)
				defer cancel()
				err := e.db.Atomic(ictx, func(ctx context.Context) error {
					e.must(ctx, 2)
					e.hooks(ctx, "b")
					cancel()
					return nil
				})
				if !errors.Is(err, context.Canceled) {
					e.t.Errorf("inner: %v; want context.Canceled", err)
				}
				e.must(ctx, 3)
				return nil
			})
		},
		wantIDs: []int64{1, 3},
		wantLog: []string{"rollback:b"},
	},
	{
		name: "block context used after the block ended",
		run: func(ctx context.Context, e *atomicEnv) error {
			var innerCtx, outerCtx context.Context
			err := e.db.Atomic(ctx, func(ctx context.Context) error {
				outerCtx = ctx
				e.must(ctx, 1)
				e.db.Atomic(ctx, func(ctx context.Context) error {
					innerCtx = ctx
					return nil
				})
				if err := e.ins(innerCtx, 2); !errors.Is(err, conn.ErrBlockEnded) {
					e.t.Errorf("insert with the ended inner block's context: %v; want ErrBlockEnded", err)
				}
				if _, err := e.db.Block(innerCtx); !errors.Is(err, conn.ErrBlockEnded) {
					e.t.Errorf("Block of an ended block: %v; want ErrBlockEnded", err)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if err := e.db.Atomic(outerCtx, func(context.Context) error { return nil }); !errors.Is(err, conn.ErrBlockEnded) {
				e.t.Errorf("Atomic with an ended block's context: %v; want ErrBlockEnded", err)
			}
			return e.ins(outerCtx, 3)
		},
		wantIDs: []int64{1},
		wantErr: conn.ErrBlockEnded,
	},
	{
		name: "outer handle cannot end while a nested block is open",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				outer, _ := e.db.Block(ctx)
				e.must(ctx, 1)
				return e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 2)
					if err := outer.Commit(ctx); err == nil {
						e.t.Error("committing the outer block from inside a nested one succeeded")
					}
					return nil
				})
			})
		},
		wantIDs: []int64{1, 2},
	},
	{
		name: "nested block asking for another isolation level",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				err := e.db.Atomic(ctx, func(ctx context.Context) error { return e.ins(ctx, 2) }, txn.Serializable)
				if !errors.Is(err, txn.ErrInvalidOption) {
					e.t.Errorf("nested block with an isolation level: %v; want ErrInvalidOption", err)
				}
				return nil
			})
		},
		wantIDs: []int64{1},
	},
	{
		name: "result sets left open",
		run: func(ctx context.Context, e *atomicEnv) error {
			return e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 1)
				e.db.Atomic(ctx, func(ctx context.Context) error {
					rows, err := e.db.Query(ctx, conn.SQL("SELECT id FROM items"))
					if err == nil {
						rows.Next() // and never closed
					}
					return err
				})
				e.must(ctx, 2) // the nested block closed its result set: the connection is free
				rows, err := e.db.Query(ctx, conn.SQL("SELECT id FROM items"))
				if err == nil {
					rows.Next() // the outer block closes this one before its COMMIT
				}
				return err
			})
		},
		wantIDs: []int64{1, 2},
	},
	{
		name: "runtime.Goexit in a block",
		run: func(ctx context.Context, e *atomicEnv) error {
			done := make(chan struct{})
			go func() {
				defer close(done)
				e.db.Atomic(ctx, func(ctx context.Context) error {
					e.must(ctx, 1)
					e.hooks(ctx, "a")
					e.db.Atomic(ctx, func(ctx context.Context) error {
						e.must(ctx, 2)
						runtime.Goexit() // what t.FailNow does
						return nil
					})
					return nil
				})
			}()
			<-done
			return nil
		},
		wantLog: []string{"rollback:a"},
	},
}

// three runs three nested blocks (rows 1, 2, 3 and hooks a, b, c); each level returns the
// error given for it, "panic" panics in the innermost. The outer levels go on after a failed
// inner one, inserting 10 (outermost) and 20 (middle).
func three(ctx context.Context, e *atomicEnv, outer, mid, inner any) error {
	ret := func(v any) error {
		if err, ok := v.(error); ok {
			return err
		}
		return nil
	}
	return e.db.Atomic(ctx, func(ctx context.Context) error {
		e.must(ctx, 1)
		e.hooks(ctx, "a")
		if err := e.db.Atomic(ctx, func(ctx context.Context) error {
			e.must(ctx, 2)
			e.hooks(ctx, "b")
			if err := e.db.Atomic(ctx, func(ctx context.Context) error {
				e.must(ctx, 3)
				e.hooks(ctx, "c")
				if inner == "panic" {
					panic("three")
				}
				return ret(inner)
			}); err != nil {
				e.must(ctx, 20)
			}
			return ret(mid)
		}); err != nil {
			e.must(ctx, 10)
		}
		return ret(outer)
	})
}

func TestAtomicSemantics(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		e := newAtomicEnv(t, tdb, "pool_max_conns=2")
		for _, c := range atomicCases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				e.reset()
				var err error
				panicked := func() (p any) {
					defer func() { p = recover() }()
					err = c.run(t.Context(), e)
					return nil
				}()
				if panicked != c.wantPanic {
					t.Errorf("panic %v; want %v", panicked, c.wantPanic)
				}
				if c.wantErr == nil && err != nil {
					t.Errorf("error %v; want none", err)
				}
				if c.wantErr != nil && !errors.Is(err, c.wantErr) {
					t.Errorf("error %v; want %v", err, c.wantErr)
				}
				want := slices.Sorted(slices.Values(c.wantIDs))
				if got := e.ids(); !equalIDs(got, want...) {
					t.Errorf("rows %v; want %v", got, want)
				}
				if got := e.takeLog(); !slices.Equal(got, c.wantLog) {
					t.Errorf("hooks ran %q; want %q", got, c.wantLog)
				}
				e.checkPool(t)
			})
		}
	})
}
