package replica_test

import (
	"context"
	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn/httpmw"
	"github.com/typedsql/typedsql/expr"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/replica"
	"github.com/typedsql/typedsql/testcontainers"
)

func TestParseConfig(t *testing.T) {
	c, err := replica.ParseConfig([]byte(`
primary: postgres://app@db1,db2/app?target_session_attrs=read-write
replicas: [postgres://app@db2/app, postgres://app@db3/app]
policy: least-lag
max_lag: 2s
health_interval: 250ms
rise: 3
fallback: fail
fallback_rate: 50
read_your_writes_wait: 100ms
`))
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.Options()
	if err != nil {
		t.Fatal(err)
	}
	want := replica.Options{Policy: replica.LeastLag, MaxLag: 2 * time.Second, HealthInterval: 250 * time.Millisecond,
		Rise: 3, Fallback: replica.FallbackFail, FallbackRate: 50, ReadYourWritesWait: 100 * time.Millisecond}
	if len(c.Replicas) != 2 || o != want {
		t.Errorf("parsed %+v, options %+v; want %+v", c, o, want)
	}
	for _, bad := range []string{"policy: fastest\n", "fallback: maybe\n", "max_lagg: 1s\n", "max_lag: soon\n"} {
		c, err := replica.ParseConfig([]byte(bad))
		if err == nil {
			_, err = c.Options()
		}
		if err == nil || !strings.Contains(err.Error(), "replica: config") {
			t.Errorf("%q: %v; want an error naming what is wrong", bad, err)
		}
	}
}

// OpenConfig opens the URLs of a config; reads go to the replica, writes to the primary.
func TestOpenConfig(t *testing.T) {
	rs := testcontainers.PostgresReplicas(t, 1)
	ctx := t.Context()
	c, err := replica.ParseConfig([]byte("primary: \"" + rs.Primary.URL + "\"\nreplicas:\n  - \"" + rs.Replicas[0].URL + "\"\nhealth_interval: 50ms\n"))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.Options()
	if err != nil {
		t.Fatal(err)
	}
	logs := &captureLog{}
	opts.Logger = slog.New(logs)
	set, err := replica.Open(ctx, c, opts, conn.WithLogger(slog.New(logs)))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	logs.reset()
	port, err := conn.Scalar[int64](ctx, set.DB, engines[0].portQuery())
	if err != nil || port != int64(rs.Replicas[0].Port) {
		t.Errorf("a read ran on %d (%v); want the replica, %d", port, err, rs.Replicas[0].Port)
	}
	// The set's debug log names the server it chose and its lag; the statement's own log line
	// (conn's) names the server that ran it.
	routed, ran := logs.find("replica: read routed", ""), logs.find("", "inet_server_port")
	redacted := set.Replicas()[0].String()
	if routed == nil || routed["server"] != redacted || routed["lag"] == nil {
		t.Errorf("route log %v; want server %s and its lag", routed, redacted)
	}
	if ran == nil || ran["db"] != redacted {
		t.Errorf("statement log %v; want db %s", ran, redacted)
	}

	// Using a set sends a table's statements made on another DB through the set's routing;
	// the HTTP middleware pins the primary for the request.
	other := open(t, rs.Primary.URL)
	defer other.Close()
	if _, err := other.Exec(ctx, conn.SQL("CREATE TABLE items (id bigint PRIMARY KEY, name varchar(40) NOT NULL)")); err != nil {
		t.Fatal(err)
	}
	if err := rs.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	readItems := builder.Select(expr.Raw[int64]("inet_server_port()")).From(items)
	uctx := conn.Using(ctx, set.DB, items)
	if _, err := other.Exec(uctx, builder.InsertInto(items).Values(items.ID.Set(1), items.Name.Set("u"))); err != nil {
		t.Fatal(err)
	}
	if err := rs.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	if port, err := conn.Scalar[int64](uctx, other, readItems); err != nil || port != int64(rs.Replicas[0].Port) {
		t.Errorf("a read of items under Using(set) ran on %d (%v); want the replica", port, err)
	}
	var inRequest int64
	h := httpmw.Transaction(set.DB)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inRequest, err = conn.Scalar[int64](r.Context(), set.DB, readItems)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if err != nil || inRequest != int64(rs.Primary.Port) {
		t.Errorf("a read in httpmw.Transaction ran on %d (%v); want the primary", inRequest, err)
	}

	if _, err := replica.Open(ctx, replica.Config{Primary: rs.Primary.URL}, replica.Options{}); err == nil {
		t.Error("Open without replicas succeeded")
	}
}

// captureLog keeps every record at debug level and above, with its attributes.
type captureLog struct {
	mu   sync.Mutex
	recs []map[string]any
}

func (c *captureLog) Enabled(context.Context, slog.Level) bool { return true }
func (c *captureLog) Handle(_ context.Context, r slog.Record) error {
	m := map[string]any{"msg": r.Message}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.Any(); return true })
	c.mu.Lock()
	c.recs = append(c.recs, m)
	c.mu.Unlock()
	return nil
}
func (c *captureLog) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *captureLog) WithGroup(string) slog.Handler      { return c }
func (c *captureLog) reset()                             { c.mu.Lock(); c.recs = nil; c.mu.Unlock() }

// find returns the first record with the message msg, or, for msg "", the first statement
// record whose SQL contains sql.
func (c *captureLog) find(msg, sql string) map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.recs {
		text, _ := m["sql"].(string)
		if (msg == "" && text != "" && strings.Contains(text, sql)) || (msg != "" && m["msg"] == msg) {
			return m
		}
	}
	return nil
}
