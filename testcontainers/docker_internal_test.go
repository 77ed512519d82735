package testcontainers

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ory/dockertest/v3/docker"
)

// EnvRequireDocker, when true, makes the Docker tests below fail instead of skipping when there
// is no Docker engine or the images of testcontainers/docker/images.sh are missing. CI's Docker
// step sets it.
const envRequireDocker = "TYPEDSQL_TEST_REQUIRE_DOCKER"

// needDocker skips (or fails, under TYPEDSQL_TEST_REQUIRE_DOCKER=1) unless a Docker engine
// answers and has the images named.
func needDocker(t *testing.T, imgs ...string) {
	t.Helper()
	must, _ := strconv.ParseBool(os.Getenv(envRequireDocker))
	skip := func(why string) {
		t.Helper()
		if must {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	pool, err := dockerPool()
	if err != nil {
		skip("no Docker engine: " + err.Error())
	}
	for _, img := range imgs {
		if _, err := pool.Client.InspectImage(img); err != nil {
			skip("image " + img + " is missing (testcontainers/docker/images.sh up builds it): " + err.Error())
		}
	}
}

func TestSplitImageRef(t *testing.T) {
	for _, tc := range []struct{ ref, repo, tag, err string }{
		{"postgres:16", "postgres", "16", ""},
		{"postgres", "postgres", "latest", ""},
		{"typedsql-test/mariadb:10.11", "typedsql-test/mariadb", "10.11", ""},
		{"registry.local:5000/team/pg", "registry.local:5000/team/pg", "latest", ""},
		{"registry.local:5000/team/pg:15", "registry.local:5000/team/pg", "15", ""},
		{"postgres:", "", "", "empty tag"},
		{"postgres@sha256:abc", "", "", "digest is not supported"},
		{"", "", "", "want name[:tag]"},
	} {
		repo, tag, err := splitImageRef(tc.ref)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, want an error saying %q", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil || repo != tc.repo || tag != tc.tag {
			t.Errorf("%q: %q %q %v, want %q %q", tc.ref, repo, tag, err, tc.repo, tc.tag)
		}
	}
}

func TestOwnerAlive(t *testing.T) {
	host, _ := os.Hostname()
	if !ownerAlive(ownerLabel()) {
		t.Error("this process is taken for dead")
	}
	start, _ := processStart(os.Getpid())
	if start != "" && ownerAlive(host+" "+strconv.Itoa(os.Getpid())+" 1") {
		t.Error("a process id reused by another process is taken for the owner")
	}
	if ownerAlive(host + " 999999999 1") {
		t.Error("a process that does not exist is taken for alive")
	}
	if !ownerAlive("another-host 999999999 1") || !ownerAlive("") {
		t.Error("a container of another host, or without our label, would be removed")
	}
}

// A container whose entrypoint fails is reported at once, with its exit status and log, not
// after the whole wait; and it is removed.
func TestDockerContainerThatExits(t *testing.T) {
	needDocker(t, "typedsql-test/broken:exits")
	t.Setenv(EnvPostgresImage, "typedsql-test/broken:exits")
	t.Setenv(EnvDockerWait, "2m")
	start := time.Now()
	_, err := resolve(EnginePostgres)
	if err == nil || !strings.Contains(err.Error(), "exited with status 3") || !strings.Contains(err.Error(), "bad configuration") {
		t.Fatalf("got %v; want the exit status and the entrypoint's message", err)
	}
	t.Log(err)
	if d := time.Since(start); d > time.Minute {
		t.Errorf("took %s to notice the container had exited", d)
	}
	assertNoContainersOfMine(t)
}

// A container that never answers is given up after the wait, with a message naming the wait
// and how to change it; and it is removed.
func TestDockerContainerThatNeverAnswers(t *testing.T) {
	needDocker(t, "typedsql-test/broken:hangs")
	t.Setenv(EnvMySQLImage, "typedsql-test/broken:hangs")
	t.Setenv(EnvDockerWait, "3s")
	start := time.Now()
	_, err := resolve(EngineMySQL)
	if err == nil || !strings.Contains(err.Error(), "did not answer within 3s") || !strings.Contains(err.Error(), EnvDockerWait) {
		t.Fatalf("got %v; want a timeout naming the wait and %s", err, EnvDockerWait)
	}
	t.Log(err)
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("a 3s wait took %s", d)
	}
	assertNoContainersOfMine(t)
}

// assertNoContainersOfMine checks that this process owns no container but the ones the harness
// is still using (its shared servers).
func assertNoContainersOfMine(t *testing.T) {
	t.Helper()
	pool, _ := dockerPool()
	list, err := pool.Client.ListContainers(docker.ListContainersOptions{All: true,
		Filters: map[string][]string{"label": {labelOwner + "=" + ownerLabel()}}})
	if err != nil {
		t.Fatal(err)
	}
	inUse := map[string]bool{}
	dockerState.mu.Lock()
	for _, r := range dockerState.resources {
		inUse[r.Container.ID] = true
	}
	dockerState.mu.Unlock()
	for _, c := range list {
		if !inUse[c.ID] {
			t.Errorf("container %.12s (%s, %s) was left behind", c.ID, c.Image, c.Status)
		}
	}
}

// envHelperImage makes this test binary, run as a child, start a container and then wait to be
// killed: a test binary that dies mid-run.
const envHelperImage = "TYPEDSQL_TESTCONTAINERS_CHILD_IMAGE"

// TestDockerChild is the child side of TestDockerOrphansRemoved, not a test of its own.
func TestDockerChild(t *testing.T) {
	img := os.Getenv(envHelperImage)
	if img == "" {
		t.Skip("runs only as the child process of TestDockerOrphansRemoved")
	}
	t.Setenv(EnvPostgresImage, img)
	c, err := startContainer(EnginePostgres)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("CONTAINER " + c.res.Container.ID + "\n")
	time.Sleep(10 * time.Minute) // killed long before
}

// A test binary killed mid-run leaves its containers running; the next binary that uses Docker
// removes them, but not those of a binary still running.
func TestDockerOrphansRemoved(t *testing.T) {
	needDocker(t, "typedsql-test/broken:hangs")
	pool, _ := dockerPool()
	child := func() (*exec.Cmd, string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestDockerChild$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), envHelperImage+"=typedsql-test/broken:hangs", "GORACE=atexit_sleep_ms=0")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "CONTAINER "); ok {
				go func() { // keep the pipe drained
					for sc.Scan() {
					}
				}()
				return cmd, id
			}
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child started no container")
		return nil, ""
	}
	running := func(id string) bool {
		info, err := pool.Client.InspectContainerWithContext(id, context.Background())
		return err == nil && info.State.Running
	}

	alive, aliveID := child()
	defer func() { alive.Process.Kill(); alive.Wait() }()
	dead, deadID := child()
	if err := dead.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	dead.Wait()
	if !running(deadID) {
		t.Fatal("the killed binary's container is not running: nothing to clean up, the test proves nothing")
	}
	if _, err := removeOrphans(pool); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Client.InspectContainerWithContext(deadID, context.Background()); err == nil {
		t.Error("the killed binary's container is still there")
	}
	if !running(aliveID) {
		t.Error("the running binary's container was removed")
	}
	alive.Process.Kill()
	alive.Wait()
	if _, err := removeOrphans(pool); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Client.InspectContainerWithContext(aliveID, context.Background()); err == nil {
		t.Error("the second binary's container is still there after it died")
	}
}
