package replica_test

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/replica"
	"github.com/typedsql/typedsql/testcontainers"
)

// setOver makes another Set over fresh DBs of the same servers, with opts.
func setOver(t *testing.T, rs *testcontainers.ReplicaSet, opts replica.Options) *replica.Set {
	t.Helper()
	opts.HealthInterval = 50 * time.Millisecond
	opts.Logger = slog.New(slog.DiscardHandler)
	set, err := replica.New(open(t, rs.Primary.URL), []*conn.DB{open(t, rs.Replicas[0].URL), open(t, rs.Replicas[1].URL)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	return set
}

// Random spreads reads; least-lag avoids the standby that lags; with every replica out, reads
// fail (FallbackFail) or go to the primary within FallbackRate.
func TestPoliciesAndFallback(t *testing.T) {
	e := engines[0]
	rs, base := newSet(t, e, 2, replica.Options{})
	ctx := t.Context()
	r1, r2 := int64(rs.Replicas[0].Port), int64(rs.Replicas[1].Port)

	counts := readPorts(t, setOver(t, rs, replica.Options{Policy: replica.Random}), e, 400)
	t.Logf("random: %v", counts)
	if counts[r1] < 120 || counts[r2] < 120 || counts[r1]+counts[r2] != 400 {
		t.Errorf("random over 400 reads: %v; want both replicas well used, nothing on the primary", counts)
	}

	leastLag := setOver(t, rs, replica.Options{Policy: replica.LeastLag})
	writeLoop(t, base, 1)
	if err := rs.Replicas[1].PauseReplay(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the paused standby to lag", func() bool { return leastLag.Status()[1].Lag > 200*time.Millisecond })
	counts = readPorts(t, leastLag, e, 100)
	t.Logf("least-lag with %s paused (%v behind): %v", rs.Replicas[1].Name, leastLag.Status()[1].Lag, counts)
	if counts[r1] != 100 {
		t.Errorf("least-lag: %v; want all 100 on the standby that keeps up", counts)
	}

	// Every replica out: MaxLag below what both lag (both paused).
	if err := rs.Replicas[0].PauseReplay(ctx); err != nil {
		t.Fatal(err)
	}
	fail := setOver(t, rs, replica.Options{MaxLag: 100 * time.Millisecond, Fallback: replica.FallbackFail})
	limited := setOver(t, rs, replica.Options{MaxLag: 100 * time.Millisecond, FallbackRate: 5})
	waitFor(t, "both standbys out", func() bool {
		return !fail.Status()[0].Usable && !fail.Status()[1].Usable && !limited.Status()[0].Usable && !limited.Status()[1].Usable
	})
	if _, err := conn.Scalar[int64](ctx, fail.DB, e.portQuery()); !errors.Is(err, replica.ErrNoReplica) {
		t.Errorf("FallbackFail with every replica out: %v; want ErrNoReplica", err)
	}
	onPrimary, refused := 0, 0
	start := time.Now()
	for range 50 {
		port, err := conn.Scalar[int64](ctx, limited.DB, e.portQuery())
		switch {
		case errors.Is(err, replica.ErrNoReplica):
			refused++
		case err != nil:
			t.Fatal(err)
		case port == int64(rs.Primary.Port):
			onPrimary++
		}
	}
	elapsed := time.Since(start)
	t.Logf("FallbackRate 5/s, 50 reads in %v with every replica out: %d on the primary, %d refused", elapsed.Round(time.Millisecond), onPrimary, refused)
	if maxAllowed := 5 + int(elapsed.Seconds()*5) + 1; onPrimary < 5 || onPrimary > maxAllowed || onPrimary+refused != 50 {
		t.Errorf("%d reads on the primary, %d refused; want 5 to %d on the primary, the rest refused", onPrimary, refused, maxAllowed)
	}
	for _, r := range rs.Replicas {
		if err := r.ResumeReplay(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
