package testcontainers_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// TestReplicaProbe is the child side of TestReplicaSetWithoutBinaries, not a test of its own.
func TestReplicaProbe(t *testing.T) {
	if os.Getenv("TYPEDSQL_TESTCONTAINERS_REPLICA_PROBE") == "" {
		t.Skip("runs only as the child process of TestReplicaSetWithoutBinaries")
	}
	testcontainers.PostgresReplicas(t, 1)
	t.Log("probe started a replica set")
}

// TestReplicaSetWithoutBinaries: where the server binaries are missing, a replica set skips the
// test, saying what to install, or fails it under TYPEDSQL_TEST_REQUIRE=1.
func TestReplicaSetWithoutBinaries(t *testing.T) {
	for _, tc := range []struct {
		name    string
		require bool
		want    string
	}{
		{"skips", false, "--- SKIP: TestReplicaProbe"},
		{"required fails", true, "--- FAIL: TestReplicaProbe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestReplicaProbe$", "-test.v", "-test.count=1")
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "TYPEDSQL_") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(cmd.Env, "TYPEDSQL_TESTCONTAINERS_REPLICA_PROBE=1", "GORACE=atexit_sleep_ms=0",
				testcontainers.EnvPGBin+"=/nonexistent/typedsql-pgbin")
			if tc.require {
				cmd.Env = append(cmd.Env, testcontainers.EnvRequire+"=1")
			}
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("running the probe: %v", err)
			}
			for _, w := range []string{tc.want, "no PostgreSQL replica set", "TYPEDSQL_TEST_PGBIN=/nonexistent/typedsql-pgbin has no initdb"} {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
