package conn_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/testcontainers"
)

// The acquire timeout bounds only the wait for a free connection when the pool is full; a
// new connection's connect is bounded by the connect timeout and fails as a connect error.
// Slow connects here are held by the test (a gateProxy in front of the server, or on SQLite,
// which has no network, an init hook: part of opening every connection), never by the clock,
// so the tests assert what kind of error comes, not how fast.

// heldConnects opens a DB of tdb with the URL parameters params whose new connections stay
// in their connect until openGate is called. arrived gets one element per connect that has
// reached the point where it is held; want is how many of n concurrent connects get there at
// once (SQLite opens one file connection at a time in the process). addr is the address a
// connect error should name ("" on SQLite). With secret, the URL carries a password, for
// tests whose connects never reach the server, which would refuse it.
func heldConnects(t *testing.T, tdb *testcontainers.Database, params string, n int, secret bool) (db *conn.DB, arrived <-chan struct{}, openGate func(), want int, addr string) {
	t.Helper()
	if tdb.Engine == testcontainers.EngineSQLite {
		arr := make(chan struct{}, 1000)
		gate := make(chan struct{})
		var once sync.Once
		hook := conn.WithInit(func(ctx context.Context, _ conn.InitConn) error {
			select {
			case arr <- struct{}{}:
			default:
			}
			select {
			case <-gate:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		db := openURL(t, tdb.URL+sep(tdb.URL)+params, hook)
		return db, arr, func() { once.Do(func() { close(gate) }) }, 1, ""
	}
	p, u := newGateProxy(t, tdb.URL)
	if secret {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		pu.User = url.UserPassword(pu.User.Username(), acquireTestPassword)
		u = pu.String()
	}
	db = openURL(t, u+sep(u)+params)
	return db, p.arrived, p.open, n, p.ln.Addr().String()
}

const acquireTestPassword = "s3cret-acquire-pw"

// TestAcquireTimeoutNotSpentConnecting: statements whose new connections take far longer to
// open than the acquire timeout, in a pool with room, succeed.
func TestAcquireTimeoutNotSpentConnecting(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		const acquire = 100 * time.Millisecond
		db, arrived, openGate, want, _ := heldConnects(t, tdb, "pool_max_conns=3&pool_acquire_timeout=100ms&connect_timeout=120s", 3, false)
		ctx := t.Context()
		results := make(chan error, 3)
		go func() {
			_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
			results <- err
		}()
		go func() {
			_, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1"))
			results <- err
		}()
		go func() {
			results <- db.WithConn(ctx, func(ctx context.Context) error {
				_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
				return err
			})
		}()
		for range want {
			select {
			case <-arrived:
			case err := <-results:
				t.Fatalf("a statement returned before its connect was let through: %v", err)
			case <-time.After(60 * time.Second):
				t.Fatal("no connect reached the server")
			}
		}
		// The connects have now lasted many times the acquire timeout.
		time.Sleep(10 * acquire)
		select {
		case err := <-results:
			t.Fatalf("a statement gave up while its connect was held, in a pool with room: %v", err)
		default:
		}
		openGate()
		for range 3 {
			select {
			case err := <-results:
				if err != nil {
					t.Errorf("a statement whose connect outlasted the acquire timeout: %v", err)
				}
			case <-time.After(120 * time.Second):
				t.Fatal("statements still running two minutes after their connects were let through")
			}
		}
		if s := db.Stats(); s.InUse != 0 || s.TotalConns < 1 || s.TotalConns > 3 {
			t.Errorf("stats after the slow connects: %+v", s)
		}
	})
}

// TestConnectTimeoutIsAConnectError: a server that accepts and never answers is a connect
// error (ErrOperational, naming the server, not the password) after the connect timeout, not
// ErrAcquireTimeout; and each failed connect gives its place in the pool back.
func TestConnectTimeoutIsAConnectError(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			t.Skip("opening a SQLite file has no server that could stop answering")
		}
		const connect = time.Second
		db, _, _, _, addr := heldConnects(t, tdb, "pool_max_conns=2&pool_acquire_timeout=100ms&connect_timeout=1s", 1, true)
		ctx := t.Context()
		// More attempts than the pool has connections: a connect that failed and kept its
		// slot would make the third wait for it, and fail with ErrAcquireTimeout.
		for i := range 4 {
			start := time.Now()
			var err error
			what := "Exec"
			switch i % 2 {
			case 0:
				_, err = db.Exec(ctx, conn.SQL("SELECT 1"))
			case 1:
				what = "WithConn"
				err = db.WithConn(ctx, func(context.Context) error { return nil })
			}
			took := time.Since(start)
			if err == nil {
				t.Fatalf("%s through a server that never answers succeeded", what)
			}
			if i == 0 {
				t.Logf("%s: %v", what, err)
			}
			if !errors.Is(err, conn.ErrOperational) || errors.Is(err, conn.ErrAcquireTimeout) {
				t.Errorf("%s %d: %v; want a connect error (ErrOperational), not ErrAcquireTimeout", what, i, err)
			}
			if !strings.Contains(err.Error(), addr) {
				t.Errorf("%s %d: the connect error does not name the server %s: %v", what, i, addr, err)
			}
			if strings.Contains(err.Error(), acquireTestPassword) {
				t.Errorf("%s %d: the connect error shows the password: %v", what, i, err)
			}
			if took < connect {
				t.Errorf("%s %d gave up after %s, before the connect timeout of %s", what, i, took, connect)
			}
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("stats after failed connects: %+v", s)
		}
	})
}

// TestCallerDeadlineWinsOverConnect: the caller's own deadline, passing while a new
// connection is being opened, is the caller's context error, neither a connect error nor
// ErrAcquireTimeout.
func TestCallerDeadlineWinsOverConnect(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db, arrived, _, _, _ := heldConnects(t, tdb, "pool_max_conns=2&pool_acquire_timeout=100ms&connect_timeout=120s", 1, true)
		for _, what := range []string{"Exec", "WithConn"} {
			ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
			var err error
			if what == "Exec" {
				_, err = db.Exec(ctx, conn.SQL("SELECT 1"))
			} else {
				err = db.WithConn(ctx, func(context.Context) error { return nil })
			}
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, conn.ErrAcquireTimeout) || errors.Is(err, conn.ErrOperational) {
				t.Errorf("%s with the caller's deadline passing during the connect: %v; want context.DeadlineExceeded only", what, err)
			}
		}
		select {
		case <-arrived:
		default:
			t.Error("no connect was held: the test tested nothing")
		}
	})
}

// TestAcquireSlotsUnderLoad: many callers on a small pool with a short acquire timeout, some
// with deadlines that end in the middle of things, leave the pool's accounting right: all
// of its connections can be held afterwards, and one more caller waits and times out.
func TestAcquireSlotsUnderLoad(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		const maxConns = 2
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: maxConns, AcquireTimeout: conn.Duration(20 * time.Millisecond)}))
		ctx := t.Context()
		var wg sync.WaitGroup
		errs := make(chan error, 1000)
		for g := range 6 {
			wg.Go(func() {
				for i := range 25 {
					var err error
					switch (g + i) % 4 {
					case 0:
						_, err = db.Exec(ctx, conn.SQL("SELECT 1"))
					case 1:
						_, err = conn.All[int64](ctx, db, conn.SQL("SELECT 1 UNION ALL SELECT 2"))
					case 2:
						err = db.WithConn(ctx, func(ctx context.Context) error {
							_, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1"))
							return err
						})
					case 3:
						short, cancel := context.WithTimeout(ctx, time.Duration(i%3)*time.Millisecond)
						_, err = db.Exec(short, conn.SQL("SELECT 1"))
						cancel()
						if errors.Is(err, context.DeadlineExceeded) {
							err = nil
						}
					}
					if err != nil && !errors.Is(err, conn.ErrAcquireTimeout) {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("under load: %v", err)
		}
		// pgxpool closes a connection given back mid-statement (a deadline cut it short) in
		// the background, and counts it in use until then.
		waitFor(t, 30*time.Second, "every connection back after the load", func() bool { return db.Stats().InUse == 0 })
		var releases []func()
		for range maxConns {
			releases = append(releases, hold(t, db))
		}
		if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrAcquireTimeout) {
			t.Errorf("with every connection held after the load: %v; want ErrAcquireTimeout", err)
		}
		for _, r := range releases {
			r()
		}
	})
}

// TestAcquireTimeoutOnCallersPool: on a pool the caller made, other code may hold
// connections conn cannot count: a borrow that finds the pool full, whoever holds it, waits
// at most the acquire timeout.
func TestAcquireTimeoutOnCallersPool(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		d := map[testcontainers.Engine]dialect.Dialect{
			testcontainers.EnginePostgres: dialect.Postgres, testcontainers.EngineMySQL: dialect.MySQL, testcontainers.EngineSQLite: dialect.SQLite,
		}[tdb.Engine]
		if tdb.MariaDB() {
			d = dialect.MariaDB
		}
		sqlDB, err := sql.Open(tdb.DriverName, tdb.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer sqlDB.Close()
		sqlDB.SetMaxOpenConns(2)
		db, err := conn.FromSQL(sqlDB, d, conn.WithPool(conn.PoolConfig{AcquireTimeout: conn.Duration(100 * time.Millisecond)}))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		theirs := func() *sql.Conn {
			c, err := sqlDB.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		full := func(what string) {
			t.Helper()
			if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrAcquireTimeout) {
				t.Errorf("%s: %v; want ErrAcquireTimeout", what, err)
			}
		}
		a, b := theirs(), theirs()
		full("both connections held by other code")
		a.Close()
		release := hold(t, db)
		full("one connection held by other code, one by conn")
		b.Close()
		release2 := hold(t, db)
		full("both connections held by conn")
		release()
		release2()
		if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err != nil {
			t.Errorf("after every holder let go: %v", err)
		}
	})
}

// TestAcquireTimeoutOnCallersPgxPool is TestAcquireTimeoutOnCallersPool for postgres.FromPool.
func TestAcquireTimeoutOnCallersPgxPool(t *testing.T) {
	tdb := testcontainers.Postgres(t)
	ctx := t.Context()
	pool, err := pgxpool.New(ctx, tdb.URL+sep(tdb.URL)+"pool_max_conns=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db, err := postgres.FromPool(pool, conn.WithPool(conn.PoolConfig{AcquireTimeout: conn.Duration(100 * time.Millisecond)}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	release := hold(t, db)
	if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrAcquireTimeout) {
		t.Errorf("one connection held by other code, one by conn: %v; want ErrAcquireTimeout", err)
	}
	a.Release()
	release()
	if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err != nil {
		t.Errorf("after every holder let go: %v", err)
	}
}
