package txn_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

// lostReply runs every statement on the real connection, and then, like conn when the
// connection breaks after a COMMIT was sent, reports the COMMIT's outcome unknown.
type lostReply struct{ *recConn }

func (l lostReply) Exec(ctx context.Context, s txn.Control) error {
	if err := l.recConn.Exec(ctx, s); err != nil {
		return err
	}
	if s.Op == txn.OpCommit {
		return fmt.Errorf("the reply was lost: %w", txn.ErrCommitUnknown)
	}
	return nil
}

// TestTxCommitUnknown: a COMMIT whose outcome the Conn reports unknown runs no hooks at all,
// sends no ROLLBACK, leaves the connection unclean, and returns an error matching
// ErrCommitUnknown; Restart begins nothing after it, and the block cannot go on.
func TestTxCommitUnknown(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		for _, restart := range []bool{false, true} {
			e := newTxEnv(t, tdb)
			c := lostReply{e.rec}
			tx, err := txn.Begin(ctx, e.d, c, txn.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var ran hookLog
			tx.OnCommit(ran.hook("commit"))
			tx.OnRollback(ran.hook("rollback"))
			tx.Savepoint(ctx)
			tx.OnCommit(ran.hook("commit sp"))
			tx.OnRollback(ran.hook("rollback sp"))
			if _, err := tx.Release(ctx, 2); err != nil {
				t.Fatal(err)
			}
			e.rec.take()
			var hs txn.Hooks
			if restart {
				hs, err = tx.Restart(ctx, 1, true)
			} else {
				hs, err = tx.Commit(ctx)
			}
			hs.Run(ctx)
			if !errors.Is(err, txn.ErrCommitUnknown) {
				t.Errorf("restart=%v: error %v; want ErrCommitUnknown", restart, err)
			}
			if len(ran) != 0 {
				t.Errorf("restart=%v: hooks ran %q; want none while the outcome is unknown", restart, ran)
			}
			if log := e.rec.take(); !slices.Equal(log, []string{"COMMIT"}) {
				t.Errorf("restart=%v: sent %q; want the COMMIT only (no ROLLBACK, no BEGIN)", restart, log)
			}
			if tx.Clean() {
				t.Errorf("restart=%v: Clean() after an unknown COMMIT; want the connection discarded", restart)
			}
			if restart {
				if ferr := tx.Err(); !errors.Is(ferr, txn.ErrCommitUnknown) || !strings.Contains(ferr.Error(), "cannot go on") {
					t.Errorf("Err() after Restart = %v; want the block stopped with ErrCommitUnknown", ferr)
				}
				if _, err := tx.Savepoint(ctx); err == nil {
					t.Error("a savepoint opened after a COMMIT of unknown outcome")
				}
			}
		}
	})
}

// TestRetryNeverAfterCommitUnknown: Do does not run a block again when its error says the
// COMMIT's outcome is unknown, even if the error also looks retryable.
func TestRetryNeverAfterCommitUnknown(t *testing.T) {
	fast := txn.RetryPolicy{Attempts: 4, BaseDelay: 1, MaxDelay: 1}
	n := 0
	unknown := errors.Join(errConflict, fmt.Errorf("COMMIT: %w", txn.ErrCommitUnknown))
	err := fast.Do(t.Context(), isConflict, func(int) error { n++; return unknown })
	if n != 1 || err != unknown {
		t.Errorf("ran %d times, error %v; want one run and the error as it is", n, err)
	}
}
