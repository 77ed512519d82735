package txn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/typedsql/typedsql/txn"
)

var errConflict = errors.New("conflict")

func isConflict(err error) bool { return errors.Is(err, errConflict) }

func TestDelay(t *testing.T) {
	p := txn.RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 80 * time.Millisecond}
	for n, full := range map[int]time.Duration{1: 10, 2: 20, 3: 40, 4: 80, 5: 80, 60: 80} {
		full *= time.Millisecond
		for range 200 {
			d := p.Delay(n)
			if d < full/2 || d > full {
				t.Fatalf("Delay(%d) = %v; want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
	// The jitter spreads the waits: 200 draws are not all the same.
	seen := map[time.Duration]bool{}
	for range 200 {
		seen[p.Delay(3)] = true
	}
	if len(seen) < 10 {
		t.Errorf("Delay(3) took only %d distinct values in 200 draws", len(seen))
	}
	if d := (txn.RetryPolicy{}).Delay(1); d < txn.DefaultBaseDelay/2 || d > txn.DefaultBaseDelay {
		t.Errorf("default Delay(1) = %v", d)
	}
	if d := (txn.RetryPolicy{}).Delay(100); d > txn.DefaultMaxDelay {
		t.Errorf("default Delay(100) = %v exceeds %v", d, txn.DefaultMaxDelay)
	}
}

func TestRetryDo(t *testing.T) {
	fast := txn.RetryPolicy{Attempts: 4, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond}

	t.Run("succeeds on a later attempt", func(t *testing.T) {
		var seen []int
		err := fast.Do(t.Context(), isConflict, func(attempt int) error {
			seen = append(seen, attempt)
			if attempt < 3 {
				return errConflict
			}
			return nil
		})
		if err != nil || len(seen) != 3 || seen[2] != 3 {
			t.Errorf("attempts %v, error %v; want 1, 2, 3 and no error", seen, err)
		}
	})

	t.Run("gives up after Attempts", func(t *testing.T) {
		n := 0
		err := fast.Do(t.Context(), isConflict, func(int) error { n++; return errConflict })
		var re *txn.RetryError
		if n != 4 || !errors.As(err, &re) || re.Attempts != 4 || !errors.Is(err, errConflict) {
			t.Errorf("ran %d times, error %v; want 4 runs and a RetryError wrapping the conflict", n, err)
		}
	})

	t.Run("other errors return at once", func(t *testing.T) {
		other := errors.New("other")
		n := 0
		err := fast.Do(t.Context(), isConflict, func(int) error { n++; return other })
		if n != 1 || err != other {
			t.Errorf("ran %d times, error %v; want once, the error as it is", n, err)
		}
	})

	t.Run("one attempt returns the error as it is", func(t *testing.T) {
		err := txn.Retry(1).Do(t.Context(), isConflict, func(int) error { return errConflict })
		if err != errConflict {
			t.Errorf("error %v; want the conflict unwrapped", err)
		}
	})

	t.Run("context ends during the wait", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		slow := txn.RetryPolicy{Attempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}
		n := 0
		start := time.Now()
		err := slow.Do(ctx, isConflict, func(int) error {
			n++
			time.AfterFunc(10*time.Millisecond, cancel)
			return errConflict
		})
		if n != 1 || !errors.Is(err, errConflict) || !errors.Is(err, context.Canceled) {
			t.Errorf("ran %d times, error %v; want one run, then the conflict and the cancellation", n, err)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("Do waited %v after the context ended", time.Since(start))
		}
	})
}
