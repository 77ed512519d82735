package conn

import (
	"errors"
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// The pool a re-Init replaced refuses new work at once, stays open while a block still holds
// one of its connections, and closes when that connection comes back.
func TestRetiredPoolClosesWhenIdle(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := Deferred()
		if err := db.Init(ctx, tdb.URL); err != nil {
			t.Fatal(err)
		}
		old := db.h.Load()
		sc, err := db.pin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Init(ctx, tdb.URL); err != nil {
			t.Fatal(err)
		}
		if _, err := old.be.acquire(ctx); !errors.Is(err, errRetired) || !errors.Is(err, ErrClosed) {
			t.Errorf("acquire on the replaced pool: %v, want errRetired (an ErrClosed)", err)
		}
		if s := old.be.stats(); s.TotalConns != 1 || s.InUse != 1 {
			t.Errorf("the replaced pool while a block holds a connection: %+v", s)
		}
		if _, err := sc.sess.exec(ctx, "SELECT 1", nil); err != nil {
			t.Errorf("the held connection after re-Init: %v", err)
		}
		sc.end(ctx, false)
		if s := old.be.stats(); s.TotalConns != 0 {
			t.Errorf("the replaced pool is still open after its last connection came back: %+v", s)
		}
		if !old.be.isClosed() {
			t.Error("the replaced pool does not report closed")
		}
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
}
