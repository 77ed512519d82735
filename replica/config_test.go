package replica_test

import (
	"strings"
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
	set, err := replica.OpenConfig(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	port, err := conn.Scalar[int64](ctx, set.DB, engines[0].portQuery())
	if err != nil || port != int64(rs.Replicas[0].Port) {
		t.Errorf("a read ran on %d (%v); want the replica, %d", port, err, rs.Replicas[0].Port)
	}
	if _, err := replica.Open(ctx, replica.Config{Primary: rs.Primary.URL}, replica.Options{}); err == nil {
		t.Error("Open without replicas succeeded")
	}
}
