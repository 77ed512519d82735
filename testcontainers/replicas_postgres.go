package testcontainers

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresReplicas starts a PostgreSQL primary and n hot standbys streaming from it (each
// through a replication slot, as pg_basebackup -R -C sets them up), creates the database
// "test" on the primary, and waits until every standby streams. See [ReplicaSet].
func PostgresReplicas(t testing.TB, n int) *ReplicaSet {
	t.Helper()
	bin, err := pgBinDir()
	if err != nil {
		skipOrFailReplicas(t, EnginePostgres, err)
	}
	pg := &pgAdmin{bin: bin}
	rs := newReplicaSet(t, EnginePostgres, n, "postgres", func(port int) string {
		return "postgres://postgres@127.0.0.1:" + strconv.Itoa(port) + "/test?sslmode=disable"
	}, pg)
	ctx, cancel := context.WithTimeout(context.Background(), replicaSetup)
	defer cancel()
	if err := pg.setUp(ctx, rs); err != nil {
		t.Fatalf("testcontainers: starting a PostgreSQL replica set in %s: %v", rs.dir, err)
	}
	return rs
}

// pgBinDir finds initdb, pg_ctl and pg_basebackup: TYPEDSQL_TEST_PGBIN, else the newest
// /usr/lib/postgresql/*/bin (Debian's layout), else the directory of initdb on PATH.
func pgBinDir() (string, error) {
	has := func(dir string) bool {
		for _, b := range []string{"initdb", "pg_ctl", "pg_basebackup"} {
			if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
				return false
			}
		}
		return true
	}
	if dir := os.Getenv(EnvPGBin); dir != "" {
		if !has(dir) {
			return "", fmt.Errorf("%s=%s has no initdb, pg_ctl and pg_basebackup", EnvPGBin, dir)
		}
		return dir, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) > pgMajor(dirs[j]) })
	for _, dir := range dirs {
		if has(dir) {
			return dir, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) in %s, /usr/lib/postgresql/*/bin or PATH "+
		"(apt-get install postgresql)", EnvPGBin)
}

// pgMajor is the version number in a /usr/lib/postgresql/N/bin path.
func pgMajor(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

type pgAdmin struct{ bin string }

func (pg *pgAdmin) cmd(ctx context.Context, name string, args ...string) *exec.Cmd {
	return asServerUser(ctx, "postgres", filepath.Join(pg.bin, name), args...)
}

// setUp runs initdb for the primary, starts it, creates the database "test", and makes each
// standby from a base backup with its own replication slot.
func (pg *pgAdmin) setUp(ctx context.Context, rs *ReplicaSet) error {
	p := rs.Primary
	if err := run(pg.cmd(ctx, "initdb", "-D", p.dir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "-N")); err != nil {
		return err
	}
	// Trust on 127.0.0.1 (initdb -A trust covers replication connections too); fsync off for
	// throwaway data; a fast status interval so a standby's replay position is fresh.
	conf := fmt.Sprintf(`
listen_addresses = '127.0.0.1'
port = %d
unix_socket_directories = '%s'
fsync = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 50
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = '64MB'
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = '1s'
`, p.Port, rs.dir)
	if err := appendFile(filepath.Join(p.dir, "postgresql.conf"), conf); err != nil {
		return err
	}
	if err := pg.start(ctx, p); err != nil {
		return err
	}
	if err := pgExec(ctx, p, "postgres", "CREATE DATABASE test"); err != nil {
		return err
	}
	for _, s := range rs.Replicas {
		if err := run(pg.cmd(ctx, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port), "-U", "postgres",
			"-D", s.dir, "-R", "-X", "stream", "-C", "-S", s.Name, "--checkpoint=fast", "-N")); err != nil {
			return err
		}
		if err := appendFile(filepath.Join(s.dir, "postgresql.conf"), fmt.Sprintf("port = %d\n", s.Port)); err != nil {
			return err
		}
		if err := pg.start(ctx, s); err != nil {
			return err
		}
	}
	return poll(ctx, func() (bool, error) {
		var streaming int
		err := pgQueryRow(ctx, p, "postgres", "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", &streaming)
		return streaming == len(rs.Replicas), err
	})
}

// start runs the postmaster in the foreground as this process's child (see startServer) and
// waits until it accepts connections (a standby: read-only ones).
func (pg *pgAdmin) start(ctx context.Context, n *Node) error {
	cmd := asServerUser(context.Background(), "postgres", filepath.Join(pg.bin, "postgres"), "-D", n.dir)
	err := startServer(ctx, cmd, n.dir+".log", n.dir+".log", func() bool {
		var one int
		return pgQueryRow(ctx, n, "postgres", "SELECT 1", &one) == nil
	})
	if err != nil {
		return fmt.Errorf("%w\nlast lines of %s.log:\n%s", err, n.dir, tail(n.dir+".log", 10))
	}
	return nil
}

// tail is the last n lines of a log file, for an error message.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func (pg *pgAdmin) stop(ctx context.Context, n *Node) error {
	return run(pg.cmd(ctx, "pg_ctl", "-D", n.dir, "-w", "-t", "60", "-m", "fast", "stop"))
}

// pid reads postmaster.pid, which PostgreSQL removes on a clean stop (a crash leaves it, so the
// process is checked too).
func (pg *pgAdmin) pid(n *Node) int {
	pid := readPid(filepath.Join(n.dir, "postmaster.pid"))
	if pid == 0 || !processAlive(pid) || !processUnder(pid, n.dir) {
		return 0 // a crash leaves the file, and the machine may reuse the id for anything
	}
	return pid
}

func (pg *pgAdmin) position(ctx context.Context, primary *Node) (string, error) {
	var lsn string
	err := pgQueryRow(ctx, primary, "postgres", "SELECT pg_current_wal_lsn()::text", &lsn)
	return lsn, err
}

func (pg *pgAdmin) replayed(ctx context.Context, n *Node, pos string) (bool, error) {
	var ok bool
	err := pgQueryRow(ctx, n, "postgres", "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", &ok, pos)
	return ok, err
}

func (pg *pgAdmin) pause(ctx context.Context, n *Node) error {
	if err := pgExec(ctx, n, "postgres", "SELECT pg_wal_replay_pause()"); err != nil {
		return err
	}
	// The request is asynchronous: wait until replay has really stopped.
	return poll(ctx, func() (bool, error) {
		var state string
		err := pgQueryRow(ctx, n, "postgres", "SELECT pg_get_wal_replay_pause_state()", &state)
		return state == "paused", err
	})
}

func (pg *pgAdmin) resume(ctx context.Context, n *Node) error {
	return pgExec(ctx, n, "postgres", "SELECT pg_wal_replay_resume()")
}

func (pg *pgAdmin) promote(ctx context.Context, n *Node) error {
	var ok bool
	if err := pgQueryRow(ctx, n, "postgres", "SELECT pg_promote(true, 60)", &ok); err != nil {
		return err
	}
	if !ok {
		return errors.New("pg_promote did not finish within 60s")
	}
	return nil
}

// pgConnect opens one connection to database on n; the admin side never keeps a pool.
func pgConnect(ctx context.Context, n *Node, database string) (*pgx.Conn, error) {
	return pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable&connect_timeout=10", n.Port, database))
}

func pgExec(ctx context.Context, n *Node, database, sql string, args ...any) error {
	c, err := pgConnect(ctx, n, database)
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	_, err = c.Exec(ctx, sql, args...)
	return err
}

func pgQueryRow(ctx context.Context, n *Node, database, sql string, dst any, args ...any) error {
	c, err := pgConnect(ctx, n, database)
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	return c.QueryRow(ctx, sql, args...).Scan(dst)
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
