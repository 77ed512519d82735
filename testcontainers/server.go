package testcontainers

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"
)

// server is a PostgreSQL or MySQL server the harness may create databases on.
type server struct {
	engine  Engine
	admin   *url.URL // the admin database; holds the password, so never printed unredacted
	source  string   // where it came from, for messages: the env variable or the container
	version string   // what SELECT version() said
}

// unavailableError means neither an env URL nor Docker gave a server: a skip, unless
// TYPEDSQL_TEST_REQUIRE asks for a failure.
type unavailableError struct {
	engine Engine
	docker error // why Docker could not be used
}

func (e *unavailableError) Error() string {
	example := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if e.engine == EngineMySQL {
		example = "mysql://root@127.0.0.1:3306/mysql"
	}
	return fmt.Sprintf("testcontainers: no %s server: %s is not set and Docker is not available (%v). "+
		"To run this test, set %s=%s (a user that may CREATE DATABASE; a password goes after the user, as user:password@), "+
		"or start a Docker engine",
		e.engine.title(), e.engine.urlEnv(), e.docker, e.engine.urlEnv(), example)
}

// resolutions caches, per engine and per test binary, the server found or the reason there is
// none, so that a missing or broken server costs one attempt, not one per test.
var resolutions struct {
	mu sync.Mutex
	m  map[Engine]*resolution
}

type resolution struct {
	once sync.Once
	srv  *server
	err  error
}

// serverFor finds the server for e: the env URL, else a Docker container, else an
// *unavailableError.
func serverFor(e Engine) (*server, error) {
	resolutions.mu.Lock()
	if resolutions.m == nil {
		resolutions.m = make(map[Engine]*resolution)
	}
	r := resolutions.m[e]
	if r == nil {
		r = new(resolution)
		resolutions.m[e] = r
	}
	resolutions.mu.Unlock()
	r.once.Do(func() { r.srv, r.err = resolve(e) })
	return r.srv, r.err
}

func resolve(e Engine) (*server, error) {
	if raw := os.Getenv(e.urlEnv()); raw != "" {
		u, err := parseServerURL(e, raw)
		if err != nil {
			return nil, err
		}
		return connectServer(e, u, e.urlEnv(), 0, nil)
	}
	wait, err := dockerWait()
	if err != nil {
		return nil, err
	}
	c, err := startContainer(e)
	if err != nil {
		return nil, err
	}
	// The container's port is open before the server accepts logins, and MySQL's entrypoint
	// even restarts the server once: wait for a real answer, with backoff, up to a deadline,
	// and stop at once if the container exits.
	pool := dockerState.pool
	srv, err := connectServer(e, c.admin, c.source, wait, func() error { return c.exited(pool) })
	if err != nil {
		removeContainer(pool, c.res)
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "testcontainers: %s from %s: %s\n", e.title(), c.source, srv.version)
	return srv, nil
}

// connectServer checks that the admin URL u answers and reads the server version. With a
// wait > 0 it retries with exponential backoff until the deadline, and gives up early when
// gone (if not nil) reports that the server cannot come any more.
func connectServer(e Engine, u *url.URL, source string, wait time.Duration, gone func() error) (*server, error) {
	srv := &server{engine: e, admin: u, source: source}
	start := time.Now()
	deadline := start.Add(wait)
	delay := 100 * time.Millisecond
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		v, err := serverVersion(ctx, srv)
		cancel()
		if err == nil {
			srv.version = v
			return srv, nil
		}
		if gone != nil {
			if gerr := gone(); gerr != nil {
				return nil, fmt.Errorf("testcontainers: %s server never answered: %w", e.title(), gerr)
			}
		}
		if !time.Now().Before(deadline) {
			if wait > 0 {
				return nil, fmt.Errorf("testcontainers: %s server %s (from %s) did not answer within %s (%s=%s sets the wait): %w",
					e.title(), u.Redacted(), source, wait, EnvDockerWait, wait, err)
			}
			return nil, fmt.Errorf("testcontainers: %s server %s (from %s) does not answer: %w",
				e.title(), u.Redacted(), source, err)
		}
		time.Sleep(min(delay, time.Until(deadline)))
		delay = min(delay*2, 5*time.Second)
	}
}
