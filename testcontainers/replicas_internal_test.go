package testcontainers

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// replicaSets are the two kinds of set, run by the same tests.
var replicaSets = []struct {
	engine Engine
	start  func(testing.TB, int) *ReplicaSet
}{
	{EnginePostgres, PostgresReplicas},
	{EngineMySQL, MariaDBReplicas},
}

// openNode opens a database/sql handle on node's URL, as an application would.
func openNode(t *testing.T, n *Node) *sql.DB {
	t.Helper()
	var db *sql.DB
	if strings.HasPrefix(n.URL, "postgres://") {
		cfg, err := pgx.ParseConfig(n.URL)
		if err != nil {
			t.Fatal(err)
		}
		db = stdlib.OpenDB(*cfg)
	} else {
		u, err := url.Parse(n.URL)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := mysqlConfig(u)
		if err != nil {
			t.Fatal(err)
		}
		c, err := mysql.NewConnector(cfg)
		if err != nil {
			t.Fatal(err)
		}
		db = sql.OpenDB(c)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM items").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func insert(t *testing.T, db *sql.DB, id int) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), "INSERT INTO items (id) VALUES ("+strconv.Itoa(id)+")"); err != nil {
		t.Fatal(err)
	}
}

// TestReplicaSetReplicates is the contract replica/ relies on: writes on the primary reach every
// replica, a replica refuses writes, a paused replica serves stale reads until resumed, a crashed
// replica comes back and catches up, and a promoted replica takes writes. Then the cleanup leaves
// no server running and no directory behind.
func TestReplicaSetReplicates(t *testing.T) {
	for _, kind := range replicaSets {
		t.Run(string(kind.engine), func(t *testing.T) {
			t.Parallel()
			var dir string
			var pids []int
			t.Run("set", func(t *testing.T) {
				rs := kind.start(t, 2)
				dir = rs.dir
				ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
				defer cancel()
				primary := openNode(t, rs.Primary)
				r1, r2 := openNode(t, rs.Replicas[0]), openNode(t, rs.Replicas[1])

				if _, err := primary.ExecContext(ctx, "CREATE TABLE items (id int PRIMARY KEY)"); err != nil {
					t.Fatal(err)
				}
				insert(t, primary, 1)
				if err := rs.WaitReplicated(ctx); err != nil {
					t.Fatal(err)
				}
				if got := count(t, r1) + count(t, r2); got != 2 {
					t.Fatalf("after WaitReplicated the replicas hold %d rows together, want 2 (1 each)", got)
				}
				if _, err := r1.ExecContext(ctx, "INSERT INTO items (id) VALUES (9)"); err == nil {
					t.Fatal("a write on a replica succeeded")
				}

				// A paused replica is a lagging one: it keeps serving the old rows.
				if err := rs.Replicas[1].PauseReplay(ctx); err != nil {
					t.Fatal(err)
				}
				insert(t, primary, 2)
				if err := rs.WaitReplicated(shortCtx(t, 3*time.Second)); err == nil {
					t.Fatal("WaitReplicated returned with a paused replica")
				}
				if got := count(t, r2); got != 1 {
					t.Fatalf("the paused replica has %d rows, want 1", got)
				}
				if err := rs.Replicas[1].ResumeReplay(ctx); err != nil {
					t.Fatal(err)
				}
				if err := rs.WaitReplicated(ctx); err != nil {
					t.Fatal(err)
				}
				if got := count(t, r2); got != 2 {
					t.Fatalf("the resumed replica has %d rows, want 2", got)
				}

				// A crashed replica comes back and catches up on what it missed.
				if err := rs.Replicas[0].Crash(ctx); err != nil {
					t.Fatal(err)
				}
				if rs.Replicas[0].Running() {
					t.Fatal("a crashed replica still runs")
				}
				insert(t, primary, 3)
				if err := rs.Replicas[0].Start(ctx); err != nil {
					t.Fatal(err)
				}
				if err := rs.WaitReplicated(ctx); err != nil {
					t.Fatal(err)
				}
				if got := count(t, r1); got != 3 {
					t.Fatalf("the restarted replica has %d rows, want 3", got)
				}

				// A promoted replica takes writes.
				if err := rs.Replicas[0].Promote(ctx); err != nil {
					t.Fatal(err)
				}
				if err := poll(ctx, func() (bool, error) {
					_, err := r1.ExecContext(ctx, "INSERT INTO items (id) VALUES (4)")
					return err == nil, err
				}); err != nil {
					t.Fatalf("the promoted replica refuses writes: %v", err)
				}
				for _, n := range rs.Nodes() {
					pids = append(pids, rs.admin.pid(n))
				}
			})
			for _, pid := range pids {
				if pid != 0 && processAlive(pid) {
					t.Errorf("server pid %d still runs after the test's cleanup", pid)
				}
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("the set's directory %s is still there (%v)", dir, err)
			}
		})
	}
}

func shortCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// TestOrphanReplicaSetRemoved: a set directory whose owner process is gone is removed, with its
// server killed, by the next sweep; one whose owner lives is left alone.
func TestOrphanReplicaSetRemoved(t *testing.T) {
	dead, err := os.MkdirTemp("", replicaDirPrefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	live, err := os.MkdirTemp("", replicaDirPrefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dead); os.RemoveAll(live) })
	// An owner label naming a process that is not running, and one naming this process.
	host, _ := os.Hostname()
	if err := os.WriteFile(filepath.Join(dead, "owner"), []byte(host+" 999999999 1"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(live, "owner"), []byte(ownerLabel()), 0o644); err != nil {
		t.Fatal(err)
	}
	removeOrphanReplicaSets()
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the orphan set %s was not removed (%v)", dead, err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the live set %s was removed: %v", live, err)
	}
}
