package testcontainers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A ReplicaSet is a primary server with streaming replicas, made for one test from the server
// binaries installed on this machine: PostgreSQL hot standbys fed by streaming replication
// ([PostgresReplicas]) or MariaDB replicas following the primary by GTID ([MariaDBReplicas]).
//
//	rs := testcontainers.PostgresReplicas(t, 2)
//	primary, _ := conn.Open(ctx, rs.Primary.URL)
//	// ... write on the primary ...
//	rs.WaitReplicated(ctx)                   // every running replica has replayed it
//	rs.Replicas[1].PauseReplay(ctx)          // from now on replica 1 serves stale reads
//
// Everything listens on 127.0.0.1 on ports chosen at random and lives in a directory of its own
// under the system's temporary directory; the servers run as the "postgres" or "mysql" OS user
// when the test runs as root (the servers refuse root). t.Cleanup stops every server and removes
// the directory; sets left by a test binary that was killed are removed by the next one.
//
// The servers are throwaway: fsync is off. Without the binaries (PostgreSQL's initdb, pg_ctl and
// pg_basebackup in TYPEDSQL_TEST_PGBIN or /usr/lib/postgresql/*/bin; mariadbd and
// mariadb-install-db on PATH) the test is skipped, or failed under TYPEDSQL_TEST_REQUIRE=1.
type ReplicaSet struct {
	Engine Engine
	// Primary takes writes; Replicas follow it and are read-only (PostgreSQL hot standbys
	// refuse writes; MariaDB replicas run with read_only=ON and a URL user without SUPER).
	Primary  *Node
	Replicas []*Node

	dir   string
	admin replicaAdmin
}

// A Node is one server of a [ReplicaSet].
type Node struct {
	// Name is "primary", "replica1", "replica2", ... in the order of the set.
	Name string
	Port int
	// URL names the database "test" on this server in typedsql's URL form, for conn.Open:
	// postgres://postgres@127.0.0.1:PORT/test?sslmode=disable or mariadb://app@127.0.0.1:PORT/test.
	URL string

	set *ReplicaSet
	dir string
}

// replicaAdmin is what an engine does to a set's servers.
type replicaAdmin interface {
	// start starts n's server and waits until it answers.
	start(ctx context.Context, n *Node) error
	// stop stops n's server cleanly and waits for it to exit.
	stop(ctx context.Context, n *Node) error
	// pid is the process id of n's server, 0 when it is not running.
	pid(n *Node) int
	// position is the primary's current write position (an LSN, a GTID set).
	position(ctx context.Context, primary *Node) (string, error)
	// replayed reports whether replica n has replayed everything up to pos.
	replayed(ctx context.Context, n *Node, pos string) (bool, error)
	pause(ctx context.Context, n *Node) error
	resume(ctx context.Context, n *Node) error
	promote(ctx context.Context, n *Node) error
}

// EnvPGBin names the directory of the PostgreSQL server binaries the replica sets use.
const EnvPGBin = "TYPEDSQL_TEST_PGBIN"

// replicaSetup is the time one set may take to start: initdb and base backups, or
// mariadb-install-db, on a loaded machine.
const replicaSetup = 3 * time.Minute

// newReplicaSet makes the set's directory and nodes and registers the cleanup that stops every
// server and removes the directory; the engine starts the servers.
func newReplicaSet(t testing.TB, e Engine, n int, osUser string, url func(port int) string, admin replicaAdmin) *ReplicaSet {
	t.Helper()
	if n < 1 {
		t.Fatalf("testcontainers: a replica set needs at least one replica, not %d", n)
	}
	sweepReplicaSets.Do(removeOrphanReplicaSets)
	dir, err := os.MkdirTemp("", replicaDirPrefix+"*")
	if err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "owner"), []byte(ownerLabel()), 0o644); err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	rs := &ReplicaSet{Engine: e, dir: dir, admin: admin}
	t.Cleanup(func() {
		if err := rs.close(); err != nil {
			t.Errorf("testcontainers: %v", err)
		}
	})
	if err := chownToServerUser(dir, osUser); err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	ports, err := freePorts(n + 1)
	if err != nil {
		t.Fatalf("testcontainers: choosing ports: %v", err)
	}
	for i, port := range ports {
		name := "primary"
		if i > 0 {
			name = "replica" + strconv.Itoa(i)
		}
		node := &Node{Name: name, Port: port, URL: url(port), set: rs, dir: filepath.Join(dir, name)}
		if i == 0 {
			rs.Primary = node
		} else {
			rs.Replicas = append(rs.Replicas, node)
		}
	}
	return rs
}

// Nodes is the primary followed by the replicas.
func (rs *ReplicaSet) Nodes() []*Node { return append([]*Node{rs.Primary}, rs.Replicas...) }

// WaitReplicated waits until every running replica has replayed everything written on the
// primary before the call, or ctx ends. A paused or stopped replica makes it wait until then.
func (rs *ReplicaSet) WaitReplicated(ctx context.Context) error {
	pos, err := rs.admin.position(ctx, rs.Primary)
	if err != nil {
		return fmt.Errorf("testcontainers: reading the primary's position: %w", err)
	}
	for _, n := range rs.Replicas {
		if rs.admin.pid(n) == 0 {
			continue
		}
		if err := poll(ctx, func() (bool, error) { return rs.admin.replayed(ctx, n, pos) }); err != nil {
			return fmt.Errorf("testcontainers: %s has not replayed %s: %w", n.Name, pos, err)
		}
	}
	return nil
}

// PauseReplay stops the replica applying what it receives: from now on it serves reads as of
// the moment of the call, which is how a lagging replica looks to a reader.
func (n *Node) PauseReplay(ctx context.Context) error {
	return n.wrap("pausing replay on", n.set.admin.pause(ctx, n))
}

// ResumeReplay undoes PauseReplay.
func (n *Node) ResumeReplay(ctx context.Context) error {
	return n.wrap("resuming replay on", n.set.admin.resume(ctx, n))
}

// Stop stops the server cleanly.
func (n *Node) Stop(ctx context.Context) error { return n.wrap("stopping", n.set.admin.stop(ctx, n)) }

// Crash kills the server with SIGKILL, as a power cut or the OOM killer would, and waits until
// it is gone.
func (n *Node) Crash(ctx context.Context) error {
	pid := n.set.admin.pid(n)
	if pid == 0 {
		return n.wrap("crashing", errors.New("it is not running"))
	}
	// A PostgreSQL postmaster's children outlive it for a moment and keep its shared memory
	// attached, which a new postmaster refuses to start beside: wait for them too.
	procs := append(childrenOf(pid), pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return n.wrap("crashing", err)
	}
	return n.wrap("crashing", poll(ctx, func() (bool, error) {
		for _, p := range procs {
			if processAlive(p) {
				return false, nil
			}
		}
		return true, nil
	}))
}

// Start starts a stopped or crashed server and waits until it answers.
func (n *Node) Start(ctx context.Context) error {
	return n.wrap("starting", n.set.admin.start(ctx, n))
}

// Promote makes the replica a primary that takes writes. The old primary keeps running and the
// other replicas keep following it: re-pointing them is the test's business.
func (n *Node) Promote(ctx context.Context) error {
	return n.wrap("promoting", n.set.admin.promote(ctx, n))
}

// Running reports whether the server's process is alive.
func (n *Node) Running() bool { return n.set.admin.pid(n) != 0 }

func (n *Node) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("testcontainers: %s %s %s (127.0.0.1:%d): %w", op, n.set.Engine.title(), n.Name, n.Port, err)
}

// close stops every server (cleanly if it can, else by SIGKILL) and removes the directory.
func (rs *ReplicaSet) close() error {
	var errs []error
	for _, n := range rs.Nodes() {
		if n == nil || rs.admin.pid(n) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := rs.admin.stop(ctx, n); err != nil {
			if pid := rs.admin.pid(n); pid != 0 {
				_ = syscall.Kill(pid, syscall.SIGKILL)
				_ = poll(ctx, func() (bool, error) { return !processAlive(pid), nil })
			}
		}
		cancel()
		if pid := rs.admin.pid(n); pid != 0 {
			errs = append(errs, fmt.Errorf("%s %s (pid %d) is still running", rs.Engine.title(), n.Name, pid))
		}
	}
	if err := os.RemoveAll(rs.dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// replicaDirPrefix starts the name of every replica set's directory, so that the sets of a
// killed test binary can be found.
const replicaDirPrefix = "typedsql-replicas-"

var sweepReplicaSets sync.Once

// removeOrphanReplicaSets kills the servers of sets whose owning test binary is gone (by the pid
// files in their directories, never by process name) and removes the directories.
func removeOrphanReplicaSets() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), replicaDirPrefix+"*"))
	for _, dir := range dirs {
		owner, err := os.ReadFile(filepath.Join(dir, "owner"))
		if err != nil || ownerAlive(string(owner)) {
			continue
		}
		pidFiles, _ := filepath.Glob(filepath.Join(dir, "*.pid"))
		nested, _ := filepath.Glob(filepath.Join(dir, "*", "*.pid"))
		pidFiles = append(pidFiles, nested...)
		for _, f := range pidFiles {
			if pid := readPid(f); pid != 0 && processUnder(pid, dir) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		_ = os.RemoveAll(dir)
	}
}

// readPid returns the process id on the first line of a pid file, 0 if there is none.
func readPid(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// processAlive reports whether pid exists and is not a zombie.
func processAlive(pid int) bool {
	f, err := procStat(pid)
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	return len(f) == 0 || f[0] != "Z"
}

// childrenOf lists the processes whose parent is pid.
func childrenOf(pid int) []int {
	var kids []int
	parent := strconv.Itoa(pid)
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		kid, err := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		if err != nil {
			continue
		}
		if f, err := procStat(kid); err == nil && len(f) > 1 && f[1] == parent {
			kids = append(kids, kid)
		}
	}
	return kids
}

// processUnder reports whether pid's command line names dir: a process is only signalled if
// it is the server of that directory, not another process that reused a dead server's id.
func processUnder(pid int, dir string) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return err == nil && strings.Contains(string(b), dir)
}

// freePorts returns n distinct ports on 127.0.0.1 that were free a moment ago.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// startServer starts cmd, a server that runs in the foreground, in a session of its own with its
// output appended to logPath, and waits until ready reports true. The server is this process's
// child (through runuser when it runs as another user), so it is reaped when it dies: a killed
// server must not linger as a zombie that a new one takes for a running server. If the server
// exits first, the error points at serverLog.
func startServer(ctx context.Context, cmd *exec.Cmd, logPath, serverLog string, ready func() bool) error {
	log, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); log.Close() }()
	err = poll(ctx, func() (bool, error) {
		select {
		case err := <-exited:
			exited <- err
			return false, fmt.Errorf("%s exited (%v); see %s", cmd.Args[0], err, serverLog)
		default:
		}
		return ready(), nil
	})
	if err != nil {
		_ = cmd.Process.Kill()
	}
	return err
}

// asServerUser returns a command that runs name as osUser when the test runs as root (the
// servers refuse to run as root), as the current user otherwise.
func asServerUser(ctx context.Context, osUser, name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.CommandContext(ctx, "runuser", append([]string{"-u", osUser, "--", name}, args...)...)
	}
	return exec.CommandContext(ctx, name, args...)
}

// run runs cmd and returns its combined output in the error when it fails.
func run(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// chownToServerUser gives dir to osUser when running as root, so the server can write in it.
func chownToServerUser(dir, osUser string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup(osUser)
	if err != nil {
		return fmt.Errorf("running as root needs the OS user %q to run the server as: %w", osUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.Walk(dir, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
}

// poll calls done every 100ms until it reports true, fails, or ctx ends.
func poll(ctx context.Context, done func() (bool, error)) error {
	var last error
	for {
		ok, err := done()
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
			}
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// skipOrFailReplicas skips t when the engine's binaries are missing, or fails it under
// TYPEDSQL_TEST_REQUIRE=1, like a missing server does.
func skipOrFailReplicas(t testing.TB, e Engine, why error) {
	t.Helper()
	skipOrFail(t, fmt.Sprintf("no %s replica set: %v", e.title(), why))
}
