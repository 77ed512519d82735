package testcontainers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// MariaDBReplicas starts a MariaDB primary with binary logging and n replicas following it by
// GTID (MASTER_USE_GTID=slave_pos) with read_only=ON, creates the database "test", and waits
// until every replica has it. The nodes' URLs use the user "app" (all privileges on test.*, no
// SUPER), so a write on a replica fails with error 1290 as an application's would; the user
// root@127.0.0.1 has every privilege. See [ReplicaSet].
func MariaDBReplicas(t testing.TB, n int) *ReplicaSet {
	t.Helper()
	for _, b := range []string{"mariadbd", "mariadb-install-db"} {
		if _, err := exec.LookPath(b); err != nil {
			skipOrFailReplicas(t, EngineMySQL, fmt.Errorf("%s is not on PATH (apt-get install mariadb-server)", b))
		}
	}
	my := &myAdmin{cmds: map[string]*exec.Cmd{}}
	rs := newReplicaSet(t, EngineMySQL, n, "mysql", func(port int) string {
		return "mariadb://app@127.0.0.1:" + strconv.Itoa(port) + "/test"
	}, my)
	ctx, cancel := context.WithTimeout(context.Background(), replicaSetup)
	defer cancel()
	if err := my.setUp(ctx, rs); err != nil {
		t.Fatalf("testcontainers: starting a MariaDB replica set in %s: %v", rs.dir, err)
	}
	return rs
}

type myAdmin struct {
	cmds map[string]*exec.Cmd // the running mariadbd of each node, by name
}

// cnf writes the node's own option file; --defaults-file keeps /etc/mysql (the machine's own
// server) out of it. Each node has its own tmpdir: a starting mariadbd (mariadb-install-db's
// bootstrap too) deletes every "#sql*" file in its tmpdir as a leftover of a crash, and with
// the default /tmp it deleted the temporary tables of every other server starting or running
// meanwhile (the machine's own too). Of 18 bootstraps run six at a time, 8 failed ("Can't
// find file: '/tmp/#sql-temptable-...MAI'", "Unknown table 'mysql.tmp_user_sys'"; under the
// tests also a mariadbd segfault); with a tmpdir each, none of 36 did.
func (my *myAdmin) cnf(n *Node, serverID int, replica bool) error {
	if err := os.MkdirAll(filepath.Join(n.dir, "tmp"), 0o755); err != nil {
		return err
	}
	text := fmt.Sprintf(`[mariadbd]
user = mysql
datadir = %[1]s/data
socket = %[1]s/mysqld.sock
pid-file = %[1]s/mysqld.pid
log-error = %[1]s/error.log
port = %[2]d
bind-address = 127.0.0.1
skip-name-resolve
server_id = %[3]d
log_bin = %[1]s/data/binlog
binlog_format = ROW
log_slave_updates = ON
relay_log = %[1]s/data/relay
gtid_strict_mode = ON
innodb_buffer_pool_size = 32M
innodb_log_file_size = 16M
innodb_flush_log_at_trx_commit = 2
sync_binlog = 0
performance_schema = OFF
tmpdir = %[1]s/tmp
`, n.dir, n.Port, serverID)
	if replica {
		text += "read_only = ON\n"
	}
	return os.WriteFile(filepath.Join(n.dir, "my.cnf"), []byte(text), 0o644)
}

// setUp bootstraps one data directory (mariadb-install-db, the slow step) and copies it for the
// replicas: nothing in a fresh one is server-specific. Then it starts every server, creates the
// users on each without binary logging, and points the replicas at the primary.
func (my *myAdmin) setUp(ctx context.Context, rs *ReplicaSet) error {
	for i, n := range rs.Nodes() {
		if err := my.cnf(n, i+1, i > 0); err != nil {
			return err
		}
	}
	if err := chownToServerUser(rs.dir, "mysql"); err != nil {
		return err
	}
	p := rs.Primary
	if err := run(exec.CommandContext(ctx, "mariadb-install-db", "--defaults-file="+filepath.Join(p.dir, "my.cnf"),
		"--auth-root-authentication-method=normal", "--skip-test-db")); err != nil {
		return err
	}
	for _, r := range rs.Replicas {
		if err := run(exec.CommandContext(ctx, "cp", "-a", filepath.Join(p.dir, "data"), filepath.Join(r.dir, "data"))); err != nil {
			return err
		}
	}
	for _, n := range rs.Nodes() {
		if err := my.start(ctx, n); err != nil {
			return err
		}
		if err := myExecSocket(ctx, n,
			"SET sql_log_bin = 0",
			"CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'",
			"GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION",
			"CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY 'repl'",
			"GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN, BINLOG MONITOR ON *.* TO 'repl'@'127.0.0.1'",
			"CREATE USER IF NOT EXISTS 'app'@'127.0.0.1'",
			"GRANT ALL PRIVILEGES ON test.* TO 'app'@'127.0.0.1'",
			"GRANT BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'app'@'127.0.0.1'",
		); err != nil {
			return err
		}
	}
	// Binary-logged, so the replicas get it through replication: the proof that it runs.
	if err := myExec(ctx, p, "CREATE DATABASE IF NOT EXISTS test CHARACTER SET utf8mb4"); err != nil {
		return err
	}
	for _, r := range rs.Replicas {
		if err := my.follow(ctx, r, p); err != nil {
			return err
		}
	}
	return rs.WaitReplicated(ctx)
}

// follow points replica r at primary p by GTID and starts replicating.
func (my *myAdmin) follow(ctx context.Context, r, p *Node) error {
	return myExec(ctx, r,
		"SET GLOBAL gtid_slave_pos = ''",
		fmt.Sprintf("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, MASTER_USER='repl', MASTER_PASSWORD='repl', "+
			"MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1", p.Port),
		"START SLAVE")
}

// start runs mariadbd (as root it switches to the "mysql" user itself) and waits until it
// answers on its socket.
func (my *myAdmin) start(ctx context.Context, n *Node) error {
	cmd := exec.Command("mariadbd", "--defaults-file="+filepath.Join(n.dir, "my.cnf"))
	err := startServer(ctx, cmd, filepath.Join(n.dir, "stdout.log"), filepath.Join(n.dir, "error.log"),
		func() bool { return myPingSocket(ctx, n) == nil })
	if err == nil {
		my.cmds[n.Name] = cmd
	}
	return err
}

func (my *myAdmin) stop(ctx context.Context, n *Node) error {
	pid := my.pid(n)
	if pid == 0 {
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return err
	}
	return poll(ctx, func() (bool, error) { return !processAlive(pid), nil })
}

func (my *myAdmin) pid(n *Node) int {
	cmd := my.cmds[n.Name]
	// Once the server has exited and been reaped, the machine may give its id to any new
	// process (pid_max is 32768 here): only a live process running this node's option file is
	// this node's server. Signalling a reused id shut down the machine's own MariaDB once.
	if cmd == nil || cmd.Process == nil || !processAlive(cmd.Process.Pid) || !processUnder(cmd.Process.Pid, n.dir) {
		return 0
	}
	return cmd.Process.Pid
}

func (my *myAdmin) position(ctx context.Context, primary *Node) (string, error) {
	var pos string
	err := myQueryRow(ctx, primary, "SELECT @@gtid_binlog_pos", &pos)
	return pos, err
}

func (my *myAdmin) replayed(ctx context.Context, n *Node, pos string) (bool, error) {
	// MASTER_GTID_WAIT returns 0 once the replica's SQL thread has applied pos, -1 on timeout.
	var r int
	err := myQueryRow(ctx, n, "SELECT MASTER_GTID_WAIT(?, 1)", &r, pos)
	return r == 0, err
}

func (my *myAdmin) pause(ctx context.Context, n *Node) error {
	return myExec(ctx, n, "STOP SLAVE SQL_THREAD")
}

func (my *myAdmin) resume(ctx context.Context, n *Node) error {
	return myExec(ctx, n, "START SLAVE SQL_THREAD")
}

func (my *myAdmin) promote(ctx context.Context, n *Node) error {
	return myExec(ctx, n, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = OFF")
}

// myOpen opens root on n over TCP, or over the unix socket before root@127.0.0.1 exists.
func myOpen(n *Node, socket bool) (*sql.DB, error) {
	cfg := mysql.NewConfig()
	cfg.User = "root"
	if socket {
		cfg.Net, cfg.Addr = "unix", filepath.Join(n.dir, "mysqld.sock")
	} else {
		cfg.Net, cfg.Addr = "tcp", "127.0.0.1:"+strconv.Itoa(n.Port)
	}
	c, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	return db, nil
}

func myPingSocket(ctx context.Context, n *Node) error {
	db, err := myOpen(n, true)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.PingContext(ctx)
}

// myExecSocket runs stmts, in order, on one connection over n's unix socket.
func myExecSocket(ctx context.Context, n *Node, stmts ...string) error {
	db, err := myOpen(n, true)
	if err != nil {
		return err
	}
	defer db.Close()
	return execOn(ctx, db, stmts)
}

// myExec runs stmts, in order, on one connection as root@127.0.0.1.
func myExec(ctx context.Context, n *Node, stmts ...string) error {
	db, err := myOpen(n, false)
	if err != nil {
		return err
	}
	defer db.Close()
	return execOn(ctx, db, stmts)
}

func execOn(ctx context.Context, db *sql.DB, stmts []string) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, s := range stmts {
		if _, err := c.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

func myQueryRow(ctx context.Context, n *Node, query string, dst any, args ...any) error {
	db, err := myOpen(n, false)
	if err != nil {
		return err
	}
	defer db.Close()
	err = db.QueryRowContext(ctx, query, args...).Scan(dst)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: no row", query)
	}
	return err
}
