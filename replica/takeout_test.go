package replica

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// A replica kept out for one cause is logged once, however its figures change from one check
// to the next, and again when the cause changes; Status shows the latest figures.
func TestTakeOutLogsOncePerCause(t *testing.T) {
	var buf bytes.Buffer
	s := &Set{log: slog.New(slog.NewTextHandler(&buf, nil))}
	n := &node{name: "standby1"}
	n.usable.Store(true)
	for _, lag := range []string{"310ms", "360ms", "410ms"} {
		s.takeOut(n, "lag over MaxLag", "lag "+lag+" is over MaxLag 300ms")
	}
	s.takeOut(n, "health check failed", "health check failed: connection refused")
	s.takeOut(n, "health check failed", "health check failed: i/o timeout")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "lag 310ms") || !strings.Contains(lines[1], "connection refused") {
		t.Fatalf("want one line per cause (the first lag, then the first failed check), got:\n%s", buf.String())
	}
	if n.usable.Load() || n.why != "health check failed: i/o timeout" {
		t.Errorf("usable %v, why %q: want out, with the latest reason", n.usable.Load(), n.why)
	}
}
