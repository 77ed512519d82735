package schema

import (
	"context"
	"fmt"
	"sync"
)

// localLocks are the in-process migration locks, by key: a channel with room for one.
var localLocks sync.Map

// lockLocal takes the in-process lock named key, waiting until it is free or ctx ends.
func lockLocal(ctx context.Context, key string) (unlock func(), err error) {
	v, _ := localLocks.LoadOrStore(key, make(chan struct{}, 1))
	ch := v.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("schema: waiting for the migration lock %q: %w", key, context.Cause(ctx))
	}
}
