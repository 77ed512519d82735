package postgres

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/typedsql/typedsql/internal/engine"
)

// open translates the resolved settings into pgxpool's own Config. The URL handed to pgx's
// parser is built with net/url, so driver arguments (sslmode, application_name, search_path,
// ...) get pgx's own handling.
func open(ctx context.Context, s engine.Settings, p engine.PoolSettings, init func(context.Context, engine.Execer) error) (engine.Pool, error) {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), Path: "/" + s.Database}
	if strings.Contains(s.Host, ",") {
		// A multi-host URL (h1:p1,h2:p2, for failover with target_session_attrs): the port
		// belongs to the last host, and pgx reads the list as it was written.
		u.Host = s.Host + ":" + strconv.Itoa(s.Port)
	}
	switch {
	case s.Password != "":
		u.User = url.UserPassword(s.User, s.Password)
	case s.User != "":
		u.User = url.User(s.User)
	}
	q := url.Values{}
	for k, v := range s.DriverArgs {
		q.Set(k, v)
	}
	if err := applyPooler(q); err != nil {
		return nil, err
	}
	u.RawQuery = q.Encode()
	pc, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("postgres config: %w", err)
	}
	pc.MaxConns = int32(p.MaxConns)
	pc.MinConns = int32(p.MinConns)
	pc.MaxConnLifetime = p.MaxLifetime
	pc.MaxConnIdleTime = p.MaxIdleTime
	if p.HealthCheckPeriod > 0 {
		pc.HealthCheckPeriod = p.HealthCheckPeriod
	}
	if s.ConnectTimeout > 0 {
		pc.ConnConfig.ConnectTimeout = s.ConnectTimeout
	}
	// Check the socket of a connection taken from the pool, so that one the server closed
	// while it sat idle is replaced instead of failing the statement (pingStale below).
	pc.ShouldPing = pingStale
	b := &pool{}
	pc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		b.up.markBorn(c) // for CloseStale and Reset (upkeep.go)
		if init == nil {
			return nil
		}
		return init(ctx, initConn{c})
	}
	// NewWithConfig does not connect (beyond starting MinConns in the background), so Open
	// stays quick; Connect is where a bad host or password shows.
	pp, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	b.p = pp
	return b, nil
}

// initConn runs a connection's init statements on pgx's connection, before the pool lends it.
type initConn struct{ c *pgx.Conn }

func (p initConn) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := p.c.Exec(ctx, sql, args...)
	return err
}

// staleCheckAfter is how long a connection must have been idle before taking it from the pool
// checks its socket. Under load connections come back within microseconds and are not
// checked, so the hot path pays nothing; a connection idle long enough for something to have
// happened to it pays one non-blocking recv.
const staleCheckAfter = time.Millisecond

// pingStale is the pool's ShouldPing: pgxpool pings a connection idle for over a second (its
// own default), and this adds one whose socket has something waiting, which on an idle
// connection means the server ended the session (a FATAL such as "terminating connection due
// to administrator command", then EOF). A failed ping makes pgxpool drop the connection and
// take another, so the statement never meets the dead one.
func pingStale(_ context.Context, p pgxpool.ShouldPingParams) bool {
	if p.IdleDuration > time.Second {
		return true
	}
	if p.IdleDuration < staleCheckAfter || p.Conn == nil {
		return false
	}
	return socketHasPending(p.Conn.PgConn().Conn())
}
