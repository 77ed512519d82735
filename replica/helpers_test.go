package replica_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/replica"
	"github.com/typedsql/typedsql/testcontainers"
)

type itemsTable struct {
	expr.Table
	ID   expr.Column[int64]  `db:"id"`
	Name expr.Column[string] `db:"name"`
}

var items = expr.NewTable[itemsTable]("items")

// engineCase is one engine's replica set and how a statement asks the server it runs on for
// its port.
type engineCase struct {
	name  string
	start func(t testing.TB, n int) *testcontainers.ReplicaSet
	port  string // SQL of the server's port
}

var engines = []engineCase{
	{"postgres", testcontainers.PostgresReplicas, "inet_server_port()"},
	{"mariadb", testcontainers.MariaDBReplicas, "@@port"},
}

func forEachEngine(t *testing.T, fn func(t *testing.T, e engineCase)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { fn(t, e) })
	}
}

// portQuery is a builder SELECT of the server's port: a read, routed like any other.
func (e engineCase) portQuery() *builder.SelectStmt {
	return builder.Select(expr.Raw[int64](e.port))
}

func open(t testing.TB, url string) *conn.DB {
	t.Helper()
	db, err := conn.Open(context.Background(), url, conn.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// newSet starts n replicas, creates items on the primary, waits for the replicas to have it,
// and makes a Set over them; the set is closed when the test ends.
func newSet(t *testing.T, e engineCase, n int, opts replica.Options) (*testcontainers.ReplicaSet, *replica.Set) {
	t.Helper()
	rs := e.start(t, n)
	ctx := t.Context()
	primary := open(t, rs.Primary.URL)
	var reps []*conn.DB
	for _, r := range rs.Replicas {
		reps = append(reps, open(t, r.URL))
	}
	if _, err := primary.Exec(ctx, conn.SQL("CREATE TABLE items (id bigint PRIMARY KEY, name varchar(40) NOT NULL)")); err != nil {
		t.Fatal(err)
	}
	if err := rs.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	if opts.HealthInterval == 0 {
		opts.HealthInterval = 50 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	set, err := replica.New(primary, reps, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := set.Close(); err != nil {
			t.Errorf("closing the set: %v", err)
		}
	})
	return rs, set
}

// testWriter sends a set's log (replicas out and back in, with why: info level) to t.Log,
// shown when the test fails: why a replica took no reads is most of a routing failure.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// waitFor polls cond until it holds or 30 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func exprCount() expr.Expr[int64] { return expr.Count(items.ID) }
