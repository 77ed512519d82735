package conn_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// atomicEnv is one engine's database for the atomic block tests: a table items(id, note) and a
// log of the hooks that ran.
type atomicEnv struct {
	t      *testing.T
	db     *conn.DB
	engine testcontainers.Engine

	mu  sync.Mutex
	log []string
}

// newAtomicEnv opens tdb through conn with the URL parameters params (e.g.
// "pool_max_conns=8") and creates the items table.
func newAtomicEnv(t *testing.T, tdb *testcontainers.Database, params string) *atomicEnv {
	t.Helper()
	e := &atomicEnv{t: t, db: openURL(t, withParams(tdb.URL, params)), engine: tdb.Engine}
	mustExec(t, e.db, "CREATE TABLE items (id BIGINT PRIMARY KEY, note VARCHAR(40))")
	return e
}

// withParams adds URL query parameters to url.
func withParams(url, params string) string {
	if params == "" {
		return url
	}
	if strings.Contains(url, "?") {
		return url + "&" + params
	}
	return url + "?" + params
}

// ins inserts the row id with ctx: on the block's connection when ctx is a block's.
func (e *atomicEnv) ins(ctx context.Context, id int64) error {
	_, err := e.db.Exec(ctx, conn.SQL(fmt.Sprintf("INSERT INTO items (id) VALUES (%d)", id)))
	return err
}

// must inserts id and fails the test on an error.
func (e *atomicEnv) must(ctx context.Context, id int64) {
	e.t.Helper()
	if err := e.ins(ctx, id); err != nil {
		e.t.Errorf("insert %d: %v", id, err)
	}
}

// hooks registers an OnCommit and an OnRollback hook on the innermost block of ctx, which log
// "commit:name" and "rollback:name" when they run.
func (e *atomicEnv) hooks(ctx context.Context, name string) {
	e.t.Helper()
	if err := conn.OnCommit(ctx, e.hook("commit:"+name)); err != nil {
		e.t.Errorf("OnCommit: %v", err)
	}
	if err := conn.OnRollback(ctx, e.hook("rollback:"+name)); err != nil {
		e.t.Errorf("OnRollback: %v", err)
	}
}

func (e *atomicEnv) hook(entry string) func(context.Context) {
	return func(ctx context.Context) {
		if ctx.Err() != nil {
			e.t.Errorf("hook %s got a done context: %v", entry, ctx.Err())
		}
		e.mu.Lock()
		e.log = append(e.log, entry)
		e.mu.Unlock()
	}
}

// takeLog returns the hooks that ran since the last call.
func (e *atomicEnv) takeLog() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	l := e.log
	e.log = nil
	return l
}

// ids returns the committed rows' ids, read on a fresh connection.
func (e *atomicEnv) ids() []int64 {
	e.t.Helper()
	rows, err := e.db.Query(e.t.Context(), conn.SQL("SELECT id FROM items ORDER BY id"))
	if err != nil {
		e.t.Fatalf("reading items: %v", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// reset empties the table and the hook log.
func (e *atomicEnv) reset() {
	e.t.Helper()
	mustExec(e.t, e.db, "DELETE FROM items")
	e.takeLog()
}

// checkPool fails the test unless every connection is back in the pool and one still works.
// A connection that a cancelled statement broke counts as in use until pgxpool has finished
// closing it, in the background: that is given a few seconds.
func (e *atomicEnv) checkPool(t *testing.T) {
	t.Helper()
	waitIdle(t, e.db)
	var one int
	if err := e.db.QueryRow(t.Context(), conn.SQL("SELECT 1")).Scan(&one); err != nil {
		t.Errorf("a pooled connection is unusable after the block: %v", err)
	}
}

// waitIdle waits until no connection of db is in use, and fails t if that takes over 5s.
func waitIdle(t *testing.T, db *conn.DB) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := db.Stats()
		if s.InUse == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d connections still in use after the block; want 0 (%+v)", s.InUse, s)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func equalIDs(got []int64, want ...int64) bool {
	if len(got) == 0 && len(want) == 0 {
		return true
	}
	return slices.Equal(got, want)
}
