package conn

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSlots(t *testing.T) {
	if newSlots(2, 0) != nil || newSlots(0, time.Second) != nil {
		t.Error("slots without an acquire timeout or a limit")
	}
	var none *slots
	if err := none.take(t.Context()); err != nil || none.held() != 0 {
		t.Errorf("nil slots: %v", err)
	}
	none.give()

	s := newSlots(2, 50*time.Millisecond)
	ctx := t.Context()
	for range 2 {
		if err := s.take(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var ae *AcquireTimeoutError
	if err := s.take(ctx); !errors.As(err, &ae) || ae.MaxConns != 2 || ae.Timeout != 50*time.Millisecond {
		t.Errorf("a third take: %v; want AcquireTimeoutError", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.take(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("a take whose context ended: %v; want context.Canceled", err)
	}
	// A waiter gets the slot given back.
	s.timeout = time.Minute
	got := make(chan error, 1)
	go func() { got <- s.take(ctx) }()
	s.give()
	if err := <-got; err != nil || s.held() != 2 {
		t.Errorf("a waiter after a give: %v, %d held", err, s.held())
	}
	var st PoolStats
	s.addWaits(&st)
	if st.WaitCount < 2 || st.WaitDuration <= 0 {
		t.Errorf("waits counted: %+v", st)
	}
	s.give()
	s.give()
	s.give() // one too many: must not block
	if s.held() != 0 {
		t.Errorf("%d held after giving all back", s.held())
	}
}
