package conn

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	// PostgreSQL's error knowledge registers from conn/postgres. conn still opens pgx pools
	// itself, so it links the package for every program until the backend moves there too.
	_ "github.com/typedsql/typedsql/conn/postgres"
)

// openPostgres translates the config into pgxpool's own Config. The URL handed to pgx's parser
// is built with net/url, so driver arguments (sslmode, application_name, search_path, ...)
// get pgx's own handling.
func openPostgres(ctx context.Context, r Config) (backend, error) {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(r.Host, strconv.Itoa(r.Port)), Path: "/" + r.Database}
	switch {
	case r.Password != "":
		u.User = url.UserPassword(r.User, r.Password)
	case r.User != "":
		u.User = url.User(r.User)
	}
	q := url.Values{}
	for k, v := range r.DriverArgs {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	pc, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("conn: postgres config for %s: %w", r.redactedURL(), redactErr(err, r.secrets()...))
	}
	p := r.Pool
	pc.MaxConns = int32(p.MaxConns)
	pc.MinConns = int32(p.MinConns)
	pc.MaxConnLifetime = durationOr(p.MaxLifetime, defaultMaxLifetime)
	pc.MaxConnIdleTime = durationOr(p.MaxIdleTime, defaultMaxIdleTime)
	if p.HealthCheckPeriod > 0 {
		pc.HealthCheckPeriod = time.Duration(p.HealthCheckPeriod)
	}
	if r.ConnectTimeout > 0 {
		pc.ConnConfig.ConnectTimeout = time.Duration(r.ConnectTimeout)
	}
	// Check the socket of a connection taken from the pool, so that one the server closed
	// while it sat idle is replaced instead of failing the statement (reconnect.go).
	pc.ShouldPing = pingStale
	if hooks := r.OnConnect; len(hooks) > 0 {
		pc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			return runInit(ctx, hooks, pgxInitConn{c})
		}
	}
	// NewWithConfig does not connect (beyond starting MinConns in the background), so Open
	// stays quick; Connect is where a bad host or password shows.
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("conn: open %s: %w", r.redactedURL(), redactErr(err, r.secrets()...))
	}
	return &pgxBackend{
		pool:           pool,
		acquireTimeout: time.Duration(p.AcquireTimeout),
		minConns:       p.MinConns,
		owned:          true,
	}, nil
}

type pgxInitConn struct{ c *pgx.Conn }

func (p pgxInitConn) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := p.c.Exec(ctx, sql, args...)
	return err
}
