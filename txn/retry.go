package txn

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Default backoff of a RetryPolicy whose delays are zero.
const (
	DefaultBaseDelay = 10 * time.Millisecond
	DefaultMaxDelay  = time.Second
)

// RetryPolicy runs a whole transaction again when it fails with a serialization failure or a
// deadlock (PostgreSQL SQLSTATE 40001 and 40P01, MySQL error 1213, SQLite SQLITE_BUSY): the
// engine gave up on it because of concurrent transactions, and the same work run again later
// usually succeeds. No other error is retried, and neither is a panic. Only the outermost block
// retries: a nested block cannot be run again alone, because the failure aborts the whole
// transaction; in a nested block the policy has no effect.
//
// The function of a retried block runs more than once: it must not have effects outside the
// transaction that it cannot repeat (use OnCommit hooks for those). A block whose COMMIT's
// outcome is unknown (ErrCommitUnknown) is never run again.
//
//	err := db.Atomic(ctx, transfer, txn.Serializable, txn.Retry(5))
type RetryPolicy struct {
	// Attempts is how many times the block may run in all, the first run included;
	// 0 and 1 mean once.
	Attempts int
	// BaseDelay is the wait before the first retry, doubling for each one after it;
	// zero means DefaultBaseDelay.
	BaseDelay time.Duration
	// MaxDelay caps the wait; zero means DefaultMaxDelay.
	MaxDelay time.Duration
}

// Retry lets the outermost block run up to attempts times in all, with the default backoff.
func Retry(attempts int) RetryPolicy { return RetryPolicy{Attempts: attempts} }

func (p RetryPolicy) apply(o Options) Options { o.Retry = p; return o }

func (p RetryPolicy) validate() error {
	switch {
	case p.Attempts < 0:
		return &OptionError{Option: fmt.Sprintf("Retry(%d)", p.Attempts), Reason: "want a number of attempts of 1 or more"}
	case p.BaseDelay < 0 || p.MaxDelay < 0:
		return &OptionError{Option: fmt.Sprintf("retry delays %s and %s", p.BaseDelay, p.MaxDelay), Reason: "delays cannot be negative"}
	case p.MaxDelay > 0 && p.BaseDelay > p.MaxDelay:
		return &OptionError{Option: fmt.Sprintf("retry delays %s and %s", p.BaseDelay, p.MaxDelay), Reason: "the base delay exceeds the maximum"}
	}
	return nil
}

// Delay returns the wait before retry n (1 for the first retry): BaseDelay doubled n-1 times,
// capped at MaxDelay, of which a random half is taken off ("equal jitter"), so that
// transactions that failed together do not collide again in lockstep.
func (p RetryPolicy) Delay(n int) time.Duration {
	base, ceil := p.BaseDelay, p.MaxDelay
	if base == 0 {
		base = DefaultBaseDelay
	}
	if ceil == 0 {
		ceil = DefaultMaxDelay
	}
	if ceil < base {
		ceil = base
	}
	d := base
	for i := 1; i < n && d < ceil; i++ {
		d *= 2
	}
	d = min(d, ceil)
	half := d / 2
	return half + rand.N(d-half+1)
}

// RetryError is the error of a block that failed on every one of its attempts; it unwraps to
// the last attempt's error.
type RetryError struct {
	Attempts int
	Err      error
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("txn: gave up after %d attempts: %v", e.Attempts, e.Err)
}

func (e *RetryError) Unwrap() error { return e.Err }

// Do calls run (with the attempt number, from 1) until it returns nil, an error retryable does
// not accept, or the attempts run out, sleeping Delay between attempts. If ctx ends during a
// wait, Do returns the last error joined with ctx's. An error matching ErrCommitUnknown is
// never retried, whatever retryable says: the work of that attempt may have committed.
func (p RetryPolicy) Do(ctx context.Context, retryable func(error) bool, run func(attempt int) error) error {
	for attempt := 1; ; attempt++ {
		err := run(attempt)
		if err == nil || errors.Is(err, ErrCommitUnknown) || !retryable(err) {
			return err
		}
		if attempt >= p.Attempts {
			if attempt == 1 {
				return err
			}
			return &RetryError{Attempts: attempt, Err: err}
		}
		timer := time.NewTimer(p.Delay(attempt))
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%w (not retried: %w)", err, context.Cause(ctx))
		case <-timer.C:
		}
	}
}
