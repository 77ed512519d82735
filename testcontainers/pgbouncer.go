package testcontainers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A PgBouncer is a PgBouncer process in transaction pooling mode in front of one PostgreSQL
// database, for one test: clients share a few server connections, one transaction at a time, as
// they do behind a pooler in production.
type PgBouncer struct {
	// URL names the pooled database through PgBouncer, in typedsql's URL form. Query parameters
	// of the upstream URL are kept.
	URL     string
	Port    int
	Version string // "1.18.0"
	dir     string
	cmd     *exec.Cmd
}

// PgBouncerOptions tunes [StartPgBouncer]. The zero value is a pool of 4 server connections.
type PgBouncerOptions struct {
	// PoolSize is default_pool_size: the server connections per database and user.
	PoolSize int
	// MaxPreparedStatements, when > 0, turns on protocol-level prepared statements
	// (max_prepared_statements, PgBouncer 1.21 and later; older versions fail the test).
	MaxPreparedStatements int
}

// StartPgBouncer starts PgBouncer (the pgbouncer binary on PATH, or TYPEDSQL_TEST_PGBOUNCER)
// in transaction pooling mode in front of the PostgreSQL database upstream names (a URL as
// [Database.URL] or [Node.URL] give), waits until it serves a query, and stops it in
// t.Cleanup. It runs as the "postgres" OS user when the test runs as root. Without the binary
// the test is skipped, or failed under TYPEDSQL_TEST_REQUIRE=1.
func StartPgBouncer(t testing.TB, upstream string, opts PgBouncerOptions) *PgBouncer {
	t.Helper()
	bin := os.Getenv(EnvPgBouncer)
	if bin == "" {
		bin = "pgbouncer"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		skipOrFail(t, "no PgBouncer: "+bin+" is not on PATH (apt-get install pgbouncer, or set "+EnvPgBouncer+")")
	}
	up, err := url.Parse(upstream)
	if err == nil {
		_, err = pgx.ParseConfig(upstream) // refuses what is not a PostgreSQL URL
	}
	if err != nil {
		t.Fatalf("testcontainers: PgBouncer needs a PostgreSQL URL upstream, not %q", redactedOrRaw(upstream))
	}
	if opts.PoolSize <= 0 {
		opts.PoolSize = 4
	}
	version, err := pgBouncerVersion(path)
	if err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	dir, err := os.MkdirTemp("", replicaDirPrefix+"pgbouncer-*")
	if err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	pb := &PgBouncer{Version: version, dir: dir}
	t.Cleanup(func() {
		if err := pb.close(); err != nil {
			t.Errorf("testcontainers: %v", err)
		}
	})
	if err := os.WriteFile(filepath.Join(dir, "owner"), []byte(ownerLabel()), 0o644); err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	ports, err := freePorts(1)
	if err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	pb.Port = ports[0]
	ini, err := pgBouncerIni(up, pb.Port, dir, version, opts)
	if err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	user := up.User.Username()
	if user == "" {
		user = "postgres"
	}
	files := map[string]string{
		"pgbouncer.ini": ini,
		// Clients authenticate to PgBouncer with trust; PgBouncer logs in upstream with the
		// credentials written into the [databases] entry.
		"userlist.txt": strconv.Quote(user) + ` ""` + "\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatalf("testcontainers: %v", err)
		}
	}
	if err := chownToServerUser(dir, "postgres"); err != nil {
		t.Fatalf("testcontainers: %v", err)
	}
	u := *up
	u.Host = "127.0.0.1:" + strconv.Itoa(pb.Port)
	u.User = url.User(user)
	pb.URL = u.String()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pb.cmd = asServerUser(context.Background(), "postgres", path, filepath.Join(dir, "pgbouncer.ini"))
	log := filepath.Join(dir, "pgbouncer.log")
	if err := startServer(ctx, pb.cmd, filepath.Join(dir, "stdout.log"), log, func() bool {
		c, err := pgx.Connect(ctx, pb.URL+sep(pb.URL)+"default_query_exec_mode=simple_protocol&connect_timeout=5")
		if err != nil {
			return false
		}
		defer c.Close(context.Background())
		return c.Ping(ctx) == nil
	}); err != nil {
		t.Fatalf("testcontainers: starting PgBouncer %s on 127.0.0.1:%d: %v\nlast lines of %s:\n%s", version, pb.Port, err, log, tail(log, 10))
	}
	return pb
}

// EnvPgBouncer names the pgbouncer binary StartPgBouncer runs.
const EnvPgBouncer = "TYPEDSQL_TEST_PGBOUNCER"

// pgBouncerIni is the configuration: one database entry pointing at upstream, transaction
// pooling, no reset query (as in production transaction pooling), and the startup parameters
// drivers send that PgBouncer would otherwise refuse.
func pgBouncerIni(up *url.URL, port int, dir, version string, opts PgBouncerOptions) (string, error) {
	host, upPort := up.Hostname(), up.Port()
	if upPort == "" {
		upPort = "5432"
	}
	db := strings.TrimPrefix(up.Path, "/")
	if db == "" {
		return "", fmt.Errorf("the upstream URL %s names no database", up.Redacted())
	}
	entry := fmt.Sprintf("host=%s port=%s dbname=%s", host, upPort, db)
	if user := up.User.Username(); user != "" {
		entry += " user=" + user
	}
	if pw, ok := up.User.Password(); ok {
		entry += " password=" + pw
	}
	var maxPrepared string
	if opts.MaxPreparedStatements > 0 {
		if !versionAtLeast(version, 1, 21) {
			return "", fmt.Errorf("PgBouncer %s has no max_prepared_statements (1.21 and later)", version)
		}
		maxPrepared = "max_prepared_statements = " + strconv.Itoa(opts.MaxPreparedStatements)
	}
	return fmt.Sprintf(`[databases]
%s = %s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir = %s
pidfile = %s/pgbouncer.pid
logfile = %s/pgbouncer.log
auth_type = trust
auth_file = %s/userlist.txt
pool_mode = transaction
default_pool_size = %d
max_client_conn = 500
server_reset_query =
ignore_startup_parameters = extra_float_digits,search_path
%s
`, db, entry, port, dir, dir, dir, dir, opts.PoolSize, maxPrepared), nil
}

// pgBouncerVersion runs pgbouncer --version: "PgBouncer 1.18.0" on its first line.
func pgBouncerVersion(path string) (string, error) {
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", path, err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	f := strings.Fields(first)
	if len(f) < 2 {
		return "", fmt.Errorf("%s --version printed %q", path, first)
	}
	return f[1], nil
}

// versionAtLeast reports whether a "major.minor.patch" version is at least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, _ := strconv.Atoi(parts[0])
	mi, _ := strconv.Atoi(parts[1])
	return ma > major || ma == major && mi >= minor
}

// close stops PgBouncer by the pid in its pid file (runuser, its parent when the test runs as
// root, does not pass signals on) and removes its directory.
func (pb *PgBouncer) close() error {
	var err error
	if pid := readPid(filepath.Join(pb.dir, "pgbouncer.pid")); pid != 0 && processAlive(pid) && processUnder(pid, pb.dir) {
		_ = syscall.Kill(pid, syscall.SIGTERM) // immediate shutdown
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if poll(ctx, func() (bool, error) { return !processAlive(pid), nil }) != nil {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			err = fmt.Errorf("PgBouncer (pid %d) did not stop on SIGTERM within 10s", pid)
		}
		cancel()
	}
	return errors.Join(err, os.RemoveAll(pb.dir))
}

// sep is the separator before another query parameter of u.
func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

// redactedOrRaw is u without its password, or a placeholder when it does not parse.
func redactedOrRaw(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// skipOrFail skips t with msg, or fails it under TYPEDSQL_TEST_REQUIRE=1.
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if !required() {
		t.Skipf("testcontainers: %s; set %s=1 to make this fail instead of skipping", msg, EnvRequire)
	}
	t.Fatalf("testcontainers: %s (failing, not skipping, because %s is set)", msg, EnvRequire)
}
