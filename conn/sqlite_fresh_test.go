package conn_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/typedsql/typedsql/conn"
)

// TestSQLiteFreshFileConcurrentFirstUse: the first statements on a new SQLite file, made at
// once on several pooled connections, all succeed. Switching a new file to WAL needs it to
// itself; a connection opening meanwhile failed with "database is locked" without waiting
// on busy_timeout (about one new database in sixty, before connections were opened one at a
// time).
func TestSQLiteFreshFileConcurrentFirstUse(t *testing.T) {
	const databases, conns = 60, 3
	dir := t.TempDir()
	for i := range databases {
		url := "sqlite:///" + filepath.Join(dir, fmt.Sprintf("fresh%d.db", i))
		db, err := conn.Open(t.Context(), url, conn.WithPool(conn.PoolConfig{MaxConns: conns}))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, conns)
		for range conns {
			wg.Go(func() {
				// WithConn holds each connection, so the pool opens conns of them at once.
				errs <- db.WithConn(t.Context(), func(ctx context.Context) error {
					_, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1"))
					return err
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("database %d: first use on %d connections at once: %v", i, conns, err)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
