package testcontainers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
)

// The Docker path runs one container per engine per test binary: started by the first test that
// asks for the engine, shared by all later ones (each still gets its own database in it), and
// removed by Purge, which Main calls after m.Run. A container also has AutoRemove set, so
// stopping it (docker stop) removes it; a binary that does not use Main leaves its containers
// running, labelled org.typedsql.testcontainers=1, until `docker rm -f` removes them.

// image is what the harness runs for an engine, and how to reach it inside the container.
type image struct {
	repository, tag, port string
	env                   func(password string) []string
	admin                 func(hostPort, password string) *url.URL
}

var images = map[Engine]image{
	EnginePostgres: {
		repository: "postgres", tag: "16", port: "5432/tcp",
		env: func(pw string) []string { return []string{"POSTGRES_PASSWORD=" + pw} },
		admin: func(hp, pw string) *url.URL {
			return &url.URL{Scheme: "postgres", User: url.UserPassword("postgres", pw), Host: hp,
				Path: "/postgres", RawQuery: "sslmode=disable"}
		},
	},
	EngineMySQL: {
		repository: "mysql", tag: "8.4", port: "3306/tcp",
		env: func(pw string) []string { return []string{"MYSQL_ROOT_PASSWORD=" + pw} },
		admin: func(hp, pw string) *url.URL {
			return &url.URL{Scheme: "mysql", User: url.UserPassword("root", pw), Host: hp, Path: "/mysql"}
		},
	},
}

var dockerState struct {
	once sync.Once
	pool *dockertest.Pool
	err  error

	mu        sync.Mutex
	resources []*dockertest.Resource
}

// dockerPool connects to the Docker engine named by DOCKER_HOST (or the platform default) once.
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
	})
	return dockerState.pool, dockerState.err
}

// startContainer runs e's image and returns its admin URL, not yet waited for. With no Docker
// engine it returns an *unavailableError.
func startContainer(e Engine) (*url.URL, string, error) {
	img, ok := images[e]
	if !ok {
		return nil, "", fmt.Errorf("testcontainers: no Docker image for %s", e.title())
	}
	pool, err := dockerPool()
	if err != nil {
		return nil, "", &unavailableError{engine: e, docker: err}
	}
	var pw [12]byte
	_, _ = rand.Read(pw[:])
	password := hex.EncodeToString(pw[:])
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository: img.repository,
		Tag:        img.tag,
		Env:        img.env(password),
		Labels:     map[string]string{"org.typedsql.testcontainers": "1"},
	}, func(hc *docker.HostConfig) {
		hc.AutoRemove = true
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return nil, "", fmt.Errorf("testcontainers: starting %s:%s with Docker: %w", img.repository, img.tag, err)
	}
	dockerState.mu.Lock()
	dockerState.resources = append(dockerState.resources, res)
	dockerState.mu.Unlock()
	hostPort := res.GetHostPort(img.port)
	if hostPort == "" {
		return nil, "", fmt.Errorf("testcontainers: Docker published no port %s for %s:%s", img.port, img.repository, img.tag)
	}
	source := fmt.Sprintf("Docker container %.12s (%s:%s)", res.Container.ID, img.repository, img.tag)
	return img.admin(hostPort, password), source, nil
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
