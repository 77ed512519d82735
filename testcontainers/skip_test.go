package testcontainers_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// probeEnv names the engine TestProbe opens when this test binary runs as a child of the tests
// below; they run it with a controlled environment and read its verdict.
const probeEnv = "TYPEDSQL_TESTCONTAINERS_PROBE"

// TestProbe is the child side of the tests below, not a test of its own.
func TestProbe(t *testing.T) {
	e := os.Getenv(probeEnv)
	if e == "" {
		t.Skip("runs only as the child process of TestSkipRequireAndErrors")
	}
	db := testcontainers.Open(t, testcontainers.Engine(e))
	t.Logf("probe opened %s database %s", db.Engine, db.Name)
}

// runProbe runs TestProbe in a child process with no server URLs, an unreachable Docker, and
// env on top, and returns its output and whether it passed.
func runProbe(t *testing.T, engine string, env ...string) (string, bool) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestProbe$", "-test.v", "-test.count=1", "-test.timeout=2m")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TYPEDSQL_") && !strings.HasPrefix(kv, "DOCKER_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// GORACE: no 1s sleep at exit in a -race build.
	cmd.Env = append(cmd.Env, probeEnv+"="+engine, "DOCKER_HOST=unix:///nonexistent/typedsql-test-docker.sock", "GORACE=atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running the probe: %v", err)
	}
	return string(out), err == nil
}

func TestSkipRequireAndErrors(t *testing.T) {
	const password = "hunter2sekrit"
	for _, tc := range []struct {
		name, engine string
		env          []string
		pass         bool
		want, absent []string
	}{{
		name: "postgres skips", engine: "postgres", pass: true,
		want: []string{"--- SKIP: TestProbe", "no PostgreSQL server", "TYPEDSQL_TEST_POSTGRES_URL is not set",
			"Docker is not available", "set TYPEDSQL_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
			"set TYPEDSQL_TEST_REQUIRE=1 to make a missing server fail"},
	}, {
		name: "mysql skips", engine: "mysql", pass: true,
		want: []string{"--- SKIP: TestProbe", "no MySQL/MariaDB server",
			"set TYPEDSQL_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/mysql"},
	}, {
		name: "postgres required fails", engine: "postgres", env: []string{"TYPEDSQL_TEST_REQUIRE=1"},
		want: []string{"--- FAIL: TestProbe", "no PostgreSQL server", "TYPEDSQL_TEST_POSTGRES_URL=postgres://",
			"failing, not skipping, because TYPEDSQL_TEST_REQUIRE is set"},
		absent: []string{"to make a missing server fail"},
	}, {
		name: "mysql required fails", engine: "mysql", env: []string{"TYPEDSQL_TEST_REQUIRE=1"},
		want: []string{"--- FAIL: TestProbe", "no MySQL/MariaDB server", "TYPEDSQL_TEST_MYSQL_URL=mysql://"},
	}, {
		name: "sqlite needs no server", engine: "sqlite", env: []string{"TYPEDSQL_TEST_REQUIRE=1"}, pass: true,
		want: []string{"--- PASS: TestProbe", "probe opened sqlite database tsql_"},
	}, {
		// A URL that is set but does not answer fails even without REQUIRE, and hides the password.
		name: "postgres URL unreachable", engine: "postgres",
		env:  []string{"TYPEDSQL_TEST_POSTGRES_URL=postgres://u:" + password + "@127.0.0.1:1/postgres?sslmode=disable"},
		want: []string{"--- FAIL: TestProbe", "PostgreSQL server postgres://u:xxxxx@127.0.0.1:1/postgres?sslmode=disable (from TYPEDSQL_TEST_POSTGRES_URL) does not answer"},
	}, {
		name: "mysql URL unreachable", engine: "mysql",
		env:  []string{"TYPEDSQL_TEST_MYSQL_URL=mysql://u:" + password + "@127.0.0.1:1/test"},
		want: []string{"--- FAIL: TestProbe", "MySQL/MariaDB server mysql://u:xxxxx@127.0.0.1:1/test (from TYPEDSQL_TEST_MYSQL_URL) does not answer"},
	}, {
		name: "malformed URL", engine: "postgres",
		env:  []string{"TYPEDSQL_TEST_POSTGRES_URL=postgres://u:" + password + "@127.0.0.1:x/postgres"},
		want: []string{"--- FAIL: TestProbe", "TYPEDSQL_TEST_POSTGRES_URL is not a valid URL"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, passed := runProbe(t, tc.engine, tc.env...)
			if passed != tc.pass {
				t.Errorf("probe passed=%v, want %v", passed, tc.pass)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(out, a) {
					t.Errorf("output has %q", a)
				}
			}
			if strings.Contains(out, password) {
				t.Errorf("output shows the password")
			}
			if t.Failed() {
				t.Logf("probe output:\n%s", out)
			}
		})
	}
}

// With TYPEDSQL_TEST_TALLY set, each database created adds a line naming its engine, the
// package directory and the test.
func TestTally(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tally")
	if _, passed := runProbe(t, "sqlite", testcontainers.EnvTally+"="+path); !passed {
		t.Fatal("probe failed")
	}
	_, _ = runProbe(t, "postgres", testcontainers.EnvTally+"="+path) // skips: adds nothing
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wd, _ := os.Getwd()
	var lines []string
	for s := bufio.NewScanner(f); s.Scan(); {
		lines = append(lines, s.Text())
	}
	if want := "sqlite\t" + wd + "\tTestProbe"; len(lines) != 1 || lines[0] != want {
		t.Errorf("tally lines %q, want [%q]", lines, want)
	}
}
