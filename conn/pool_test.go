package conn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// hold pins one connection of db in a goroutine until the returned release is called.
func hold(t *testing.T, db *conn.DB) (release func()) {
	t.Helper()
	pinned := make(chan struct{})
	unpin := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.WithConn(context.Background(), func(ctx context.Context) error {
			close(pinned)
			<-unpin
			return nil
		})
	}()
	select {
	case <-pinned:
	case err := <-done:
		t.Fatalf("could not pin a connection: %v (stats %+v)", err, db.Stats())
	}
	return func() {
		close(unpin)
		if err := <-done; err != nil {
			t.Errorf("releasing a held connection: %v", err)
		}
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAcquireTimeout(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		const wait = 200 * time.Millisecond
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 2, AcquireTimeout: conn.Duration(wait)}))
		ctx := t.Context()
		r1, r2 := hold(t, db), hold(t, db)
		if s := db.Stats(); s.InUse != 2 || s.MaxConns != 2 {
			t.Fatalf("stats with two holders: %+v", s)
		}
		check := func(what string, err error, start time.Time) {
			t.Helper()
			took := time.Since(start)
			if !errors.Is(err, conn.ErrAcquireTimeout) || !errors.Is(err, conn.ErrOperational) {
				t.Errorf("%s with the pool exhausted: %v; want ErrAcquireTimeout (an ErrOperational)", what, err)
			}
			if took < wait || took > wait+10*time.Second {
				t.Errorf("%s gave up after %s; want about %s", what, took, wait)
			}
		}
		start := time.Now()
		_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
		check("Exec", err, start)
		start = time.Now()
		_, err = conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1"))
		check("Scalar", err, start)
		start = time.Now()
		err = db.WithConn(ctx, func(context.Context) error { return nil })
		check("WithConn", err, start)
		var ae *conn.AcquireTimeoutError
		if errors.As(err, &ae) && (ae.MaxConns != 2 || ae.Timeout != wait) {
			t.Errorf("AcquireTimeoutError = %+v", ae)
		}
		if s := db.Stats(); s.WaitCount < 1 {
			t.Errorf("stats count no wait: %+v", s)
		}
		r1()
		if n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1")); err != nil || n != 1 {
			t.Errorf("after a holder let go: %d, %v", n, err)
		}
		r2()
	})
}

// TestCallerContextIsNotAcquireTimeout: a wait cut short by the caller's own deadline is the
// caller's context error, not the pool's.
func TestCallerContextIsNotAcquireTimeout(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 1, AcquireTimeout: conn.Duration(10 * time.Second)}))
		release := hold(t, db)
		defer release()
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, conn.ErrAcquireTimeout) {
			t.Errorf("caller's deadline: %v; want context.DeadlineExceeded", err)
		}
	})
}

// TestNoPool: MaxConns 1 is a single connection that every statement shares, in turn.
func TestNoPool(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openURL(t, tdb.URL+sep(tdb.URL)+"pool_max_conns=1&pool_acquire_timeout=100ms")
		ctx := t.Context()
		temp := ddl(db, "CREATE TEMP TABLE solo (x int)", "CREATE TEMPORARY TABLE solo (x int)", "CREATE TEMP TABLE solo (x int)")
		mustExecAll(t, db, temp, "INSERT INTO solo VALUES (1)")
		// A temporary table lives on its connection: seeing it proves the same one.
		for range 5 {
			if n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT count(*) FROM solo")); err != nil || n != 1 {
				t.Fatalf("the one connection lost its temporary table: %d, %v", n, err)
			}
		}
		s := db.Stats()
		if s.MaxConns != 1 || s.TotalConns != 1 || s.NewConns != 1 {
			t.Errorf("stats of a single connection: %+v", s)
		}
		release := hold(t, db)
		_, err := db.Exec(ctx, conn.SQL("SELECT 1"))
		if !errors.Is(err, conn.ErrAcquireTimeout) {
			t.Errorf("second caller while the one connection is held: %v", err)
		}
		release()
	})
}

func sep(url string) string {
	for _, c := range url {
		if c == '?' {
			return "&"
		}
	}
	return "?"
}

// TestMinConns: Connect opens MinConns connections, left idle in the pool.
func TestMinConns(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 5, MinConns: 3}))
		if err := db.Connect(t.Context()); err != nil {
			t.Fatal(err)
		}
		// pgxpool also starts MinConns connections in the background when the pool is made,
		// so on PostgreSQL a few more may open while Connect runs.
		waitFor(t, 5*time.Second, "at least three connections open, all idle", func() bool {
			s := db.Stats()
			return s.TotalConns >= 3 && s.Idle == s.TotalConns && s.NewConns == int64(s.TotalConns)
		})
		s := db.Stats()
		if engine(db) != "postgres" && s.TotalConns != 3 {
			t.Errorf("after Connect with MinConns 3: %d connections, want 3", s.TotalConns)
		}
	})
}

func TestLifetimeExpiry(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{
			MaxConns: 4, MaxLifetime: conn.Duration(300 * time.Millisecond),
			HealthCheckPeriod: conn.Duration(100 * time.Millisecond),
		}))
		ctx := t.Context()
		r1, r2 := hold(t, db), hold(t, db)
		r1()
		r2()
		if s := db.Stats(); s.TotalConns != 2 || s.LifetimeClose != 0 {
			t.Fatalf("before expiry: %+v", s)
		}
		// database/sql's cleaner runs at most once a second; pgxpool's on HealthCheckPeriod.
		waitFor(t, 4*time.Second, "both connections closed for their age", func() bool {
			s := db.Stats()
			return s.LifetimeClose == 2 && s.TotalConns == 0
		})
		if s := db.Stats(); s.IdleClose != 0 {
			t.Errorf("lifetime expiry counted as idle expiry: %+v", s)
		}
		if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); err != nil {
			t.Fatal(err)
		}
		if s := db.Stats(); s.NewConns != 3 {
			t.Errorf("after expiry a statement should open a new connection: %+v", s)
		}
	})
}

func TestIdleExpiry(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{
			MaxConns: 4, MaxIdleTime: conn.Duration(300 * time.Millisecond),
			HealthCheckPeriod: conn.Duration(100 * time.Millisecond),
		}))
		r1, r2 := hold(t, db), hold(t, db)
		r1()
		r2()
		waitFor(t, 4*time.Second, "both connections closed for idleness", func() bool {
			s := db.Stats()
			return s.IdleClose == 2 && s.TotalConns == 0
		})
		if s := db.Stats(); s.LifetimeClose != 0 {
			t.Errorf("idle expiry counted as lifetime expiry: %+v", s)
		}
	})
}

// TestPostgresHealthCheckRestoresMinConns: pgxpool's health check reopens connections up to
// MinConns after they expire (database/sql has no such thing; see PoolConfig).
func TestPostgresHealthCheckRestoresMinConns(t *testing.T) {
	tdb := testcontainers.Postgres(t)
	db := openT(t, tdb, conn.WithPool(conn.PoolConfig{
		// The lifetime is longer than the 500 ms pgxpool waits after closing connections
		// before it tops the pool up again: with a shorter one, the connection it opens
		// has expired by its next round and is closed at once, so the pool is back at
		// MinConns only for moments the test can miss.
		MaxConns: 4, MinConns: 2, MaxLifetime: conn.Duration(1500 * time.Millisecond),
		HealthCheckPeriod: conn.Duration(100 * time.Millisecond),
	}))
	if err := db.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Connect and the pool's own fill open four connections; a fifth is a replacement.
	waitFor(t, 15*time.Second, "expired connections replaced up to MinConns", func() bool {
		s := db.Stats()
		return s.LifetimeClose >= 2 && s.TotalConns >= 2 && s.NewConns >= 5
	})
}

// TestServerClosedIdleConnection: a connection the server closed while it sat idle is found
// out when it is next taken from the pool and replaced, without failing the statement.
func TestServerClosedIdleConnection(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		if tdb.Engine == testcontainers.EngineSQLite {
			t.Skip("SQLite has no server to close a connection")
		}
		db := openT(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 1}))
		ctx := t.Context()
		idQuery := ddl(db, "SELECT pg_backend_pid()", "SELECT CONNECTION_ID()", "")
		id, err := conn.Scalar[int64](ctx, db, conn.SQL(idQuery))
		if err != nil {
			t.Fatal(err)
		}
		kill := ddl(db, "SELECT pg_terminate_backend($1)", "KILL ?", "")
		if _, err := tdb.SQL.ExecContext(ctx, kill, id); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1100 * time.Millisecond) // pgxpool pings a connection idle for over a second
		id2, err := conn.Scalar[int64](ctx, db, conn.SQL(idQuery))
		if err != nil {
			t.Fatalf("statement after the server closed the idle connection: %v", err)
		}
		if id2 == id {
			t.Errorf("still on connection %d", id)
		}
		if s := db.Stats(); s.NewConns != 2 || s.TotalConns != 1 {
			t.Errorf("stats after the replacement: %+v", s)
		}
	})
}
