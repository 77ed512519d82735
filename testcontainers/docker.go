package testcontainers

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
)

// The Docker path runs one container per engine per test binary: started by the first test that
// asks for the engine, shared by all later ones (each still gets its own database in it), and
// removed by Purge, which Main calls after m.Run. Containers are labelled with their owner (host,
// process id and its start time); a binary that dies without Purge (killed, or a TestMain that
// does not call it) leaves its containers running until the next binary to use Docker on the same
// host removes them (see removeOrphans). Binaries running at once each keep their own.

// The environment variables of the Docker path.
const (
	// EnvPostgresImage names the image run for PostgreSQL (default postgres:16). It must take
	// POSTGRES_PASSWORD and serve the user postgres on port 5432, as the official image does.
	EnvPostgresImage = "TYPEDSQL_TEST_POSTGRES_IMAGE"
	// EnvMySQLImage names the image run for MySQL/MariaDB (default mysql:8.4). It must take
	// MYSQL_ROOT_PASSWORD (or MARIADB_ROOT_PASSWORD) and serve root on port 3306, as the
	// official mysql and mariadb images do.
	EnvMySQLImage = "TYPEDSQL_TEST_MYSQL_IMAGE"
	// EnvDockerWait bounds the wait for a started container to answer (a Go duration; default
	// 2m, which covers pulling nothing but a first start of MySQL).
	EnvDockerWait = "TYPEDSQL_TEST_DOCKER_WAIT"
)

const (
	defaultDockerWait = 2 * time.Minute
	labelHarness      = "org.typedsql.testcontainers"
	labelOwner        = "org.typedsql.testcontainers.owner"
)

// image is what the harness runs for an engine, and how to reach it inside the container.
type image struct {
	envName, defaultRef, port string
	env                       func(password string) []string
	admin                     func(hostPort, password string) *url.URL
}

var images = map[Engine]image{
	EnginePostgres: {
		envName: EnvPostgresImage, defaultRef: "postgres:16", port: "5432/tcp",
		env: func(pw string) []string { return []string{"POSTGRES_PASSWORD=" + pw} },
		admin: func(hp, pw string) *url.URL {
			return &url.URL{Scheme: "postgres", User: url.UserPassword("postgres", pw), Host: hp,
				Path: "/postgres", RawQuery: "sslmode=disable"}
		},
	},
	EngineMySQL: {
		envName: EnvMySQLImage, defaultRef: "mysql:8.4", port: "3306/tcp",
		// Both names: the mysql image reads the first, the mariadb image (and ours) either.
		env: func(pw string) []string {
			return []string{"MYSQL_ROOT_PASSWORD=" + pw, "MARIADB_ROOT_PASSWORD=" + pw}
		},
		admin: func(hp, pw string) *url.URL {
			return &url.URL{Scheme: "mysql", User: url.UserPassword("root", pw), Host: hp, Path: "/mysql"}
		},
	},
}

// ref returns the image reference to run: the environment's, else the default.
func (img image) ref() string {
	if r := strings.TrimSpace(os.Getenv(img.envName)); r != "" {
		return r
	}
	return img.defaultRef
}

// splitImageRef splits "registry:5000/name:tag" into its repository and tag (latest when none
// is given), as docker run reads it.
func splitImageRef(ref string) (repository, tag string, err error) {
	if ref == "" || strings.ContainsAny(ref, " \t@") {
		return "", "", fmt.Errorf("image %q: want name[:tag] (a digest is not supported; use a tag)", ref)
	}
	slash := strings.LastIndexByte(ref, '/')
	if colon := strings.LastIndexByte(ref, ':'); colon > slash {
		if colon == len(ref)-1 {
			return "", "", fmt.Errorf("image %q: empty tag", ref)
		}
		return ref[:colon], ref[colon+1:], nil
	}
	return ref, "latest", nil
}

// dockerWait is how long a started container may take to answer.
func dockerWait() (time.Duration, error) {
	v := strings.TrimSpace(os.Getenv(EnvDockerWait))
	if v == "" {
		return defaultDockerWait, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("testcontainers: %s=%q: want a positive Go duration such as 90s", EnvDockerWait, v)
	}
	return d, nil
}

var dockerState struct {
	once sync.Once
	pool *dockertest.Pool
	err  error

	mu        sync.Mutex
	resources []*dockertest.Resource
}

// dockerPool connects to the Docker engine named by DOCKER_HOST (or the platform default) once,
// and removes what dead binaries left behind.
func dockerPool() (*dockertest.Pool, error) {
	dockerState.once.Do(func() {
		pool, err := dockertest.NewPool("")
		if err != nil {
			dockerState.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := pool.Client.PingWithContext(ctx); err != nil {
			dockerState.err = err
			return
		}
		dockerState.pool = pool
		if n, err := removeOrphans(pool); err != nil {
			fmt.Fprintf(os.Stderr, "testcontainers: removing containers of dead test binaries: %v\n", err)
		} else if n > 0 {
			fmt.Fprintf(os.Stderr, "testcontainers: removed %d container(s) left by test binaries that died\n", n)
		}
	})
	return dockerState.pool, dockerState.err
}

// container is a started server container, not yet known to answer.
type container struct {
	res    *dockertest.Resource
	admin  *url.URL
	source string // for messages: "Docker container 0123abcd (image)"
}

// startContainer runs e's image and returns it, not yet waited for. With no Docker engine it
// returns an *unavailableError.
func startContainer(e Engine) (*container, error) {
	img, ok := images[e]
	if !ok {
		return nil, fmt.Errorf("testcontainers: no Docker image for %s", e.title())
	}
	repository, tag, err := splitImageRef(img.ref())
	if err != nil {
		return nil, fmt.Errorf("testcontainers: %s: %w", img.envName, err)
	}
	pool, err := dockerPool()
	if err != nil {
		return nil, &unavailableError{engine: e, docker: err}
	}
	var pw [12]byte
	_, _ = rand.Read(pw[:])
	password := hex.EncodeToString(pw[:])
	// Not AutoRemove: a container that exits must stay long enough to tell why (its exit code
	// and log); Purge, or the next binary's removeOrphans, removes it.
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository: repository,
		Tag:        tag,
		Env:        img.env(password),
		Labels:     map[string]string{labelHarness: "1", labelOwner: ownerLabel()},
	}, func(hc *docker.HostConfig) {
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return nil, fmt.Errorf("testcontainers: starting %s:%s with Docker: %w", repository, tag, err)
	}
	dockerState.mu.Lock()
	dockerState.resources = append(dockerState.resources, res)
	dockerState.mu.Unlock()
	c := &container{res: res, source: fmt.Sprintf("Docker container %.12s (%s:%s)", res.Container.ID, repository, tag)}
	hostPort := res.GetHostPort(img.port)
	if hostPort == "" {
		// A container that exited at once has no ports: say why it exited instead.
		err := c.exited(pool)
		if err == nil {
			err = fmt.Errorf("%s publishes no port %s: the image must EXPOSE it", c.source, img.port)
		}
		removeContainer(pool, res)
		return nil, fmt.Errorf("testcontainers: %s server never answered: %w", e.title(), err)
	}
	c.admin = img.admin(hostPort, password)
	return c, nil
}

// exited reports, with the container's exit code and the end of its log, that it is no longer
// running; nil while it runs.
func (c *container) exited(pool *dockertest.Pool) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := pool.Client.InspectContainerWithContext(c.res.Container.ID, ctx)
	if err != nil {
		return fmt.Errorf("%s is gone: %w", c.source, err)
	}
	if info.State.Running {
		return nil
	}
	var out bytes.Buffer
	_ = pool.Client.Logs(docker.LogsOptions{Context: ctx, Container: c.res.Container.ID,
		OutputStream: &out, ErrorStream: &out, Stdout: true, Stderr: true, Tail: "20"})
	return fmt.Errorf("%s exited with status %d before answering; its last log lines:\n%s",
		c.source, info.State.ExitCode, strings.TrimSpace(out.String()))
}

// removeContainer removes a container the harness gave up on.
func removeContainer(pool *dockertest.Pool, res *dockertest.Resource) {
	dockerState.mu.Lock()
	defer dockerState.mu.Unlock()
	for i, r := range dockerState.resources {
		if r == res {
			dockerState.resources = append(dockerState.resources[:i], dockerState.resources[i+1:]...)
			break
		}
	}
	if err := pool.Purge(res); err != nil {
		fmt.Fprintf(os.Stderr, "testcontainers: removing container %.12s: %v\n", res.Container.ID, err)
	}
}

// Purge removes the containers this test binary started. Main calls it; call it yourself from
// a TestMain that cannot use Main (for example one that runs goleak after m.Run).
func Purge() error {
	dockerState.mu.Lock()
	defer dockerState.mu.Unlock()
	var errs []error
	for _, r := range dockerState.resources {
		if err := dockerState.pool.Purge(r); err != nil {
			errs = append(errs, fmt.Errorf("testcontainers: removing container %.12s: %w", r.Container.ID, err))
		}
	}
	dockerState.resources = nil
	return errors.Join(errs...)
}

// Main runs the tests, removes the containers they started, and exits with the tests' status
// (or 1 if a container could not be removed). Use it as the whole of TestMain:
//
//	func TestMain(m *testing.M) { testcontainers.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if err := Purge(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
