package testcontainers

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestPgBouncerPoolsTransactions: clients through the harness's PgBouncer share its server
// connections one transaction at a time (two clients, a pool of one: the same backend serves
// both), and the test sees the version it got.
func TestPgBouncerPoolsTransactions(t *testing.T) {
	db := Postgres(t)
	pb := StartPgBouncer(t, db.URL, PgBouncerOptions{PoolSize: 1})
	if !strings.HasPrefix(pb.URL, "postgres://") || !strings.Contains(pb.URL, db.Name) {
		t.Fatalf("PgBouncer URL %q does not name the database %s", pb.URL, db.Name)
	}
	t.Logf("PgBouncer %s on %d", pb.Version, pb.Port)
	ctx := t.Context()
	var pids [2]int
	var wg sync.WaitGroup
	for i := range pids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// simple_protocol: pgx's default statement cache breaks behind PgBouncer < 1.21.
			c, err := pgx.Connect(ctx, pb.URL+sep(pb.URL)+"default_query_exec_mode=simple_protocol")
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close(context.Background())
			if err := c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pids[i]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if pids[0] == 0 || pids[0] != pids[1] {
		t.Fatalf("two clients through a pool of one ran on backends %v, want one backend", pids)
	}
}

func TestVersionAtLeast(t *testing.T) {
	for v, want := range map[string]bool{"1.18.0": false, "1.21.0": true, "1.24.1": true, "2.0.0": true, "1": false, "": false} {
		if got := versionAtLeast(v, 1, 21); got != want {
			t.Errorf("versionAtLeast(%q, 1, 21) = %v", v, got)
		}
	}
}
