package conn

import (
	"context"
	"fmt"
)

// Reconnect-once (peewee's RetryOperationalError, made safe): the rules are in the package
// documentation, "Reconnecting". A dead pooled connection is dropped at two points: when it
// leaves the pool (conn/postgres has pgxpool check the socket; go-sql-driver/mysql's CheckConnLiveness), and when a
// statement outside any block fails in a way that proves nothing reached the server
// (safeToRetry), after which the statement runs once more on a pinged connection.

// safeToRetry reports whether a statement that failed with err on a pooled connection is
// known not to have reached the server and so may run again.
func (h *handle) safeToRetry(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	return h.be.safeToRetry(err)
}

// freshSession takes a connection from the pool and pings it, dropping dead ones, until one
// answers. The pool may hold several dead connections after a server restart; at most
// MaxConns+1 are tried, so that at least one is newly opened.
func (h *handle) freshSession(ctx context.Context) (session, error) {
	var last error
	for range h.cfg.Pool.MaxConns + 1 {
		s, err := h.be.acquire(ctx)
		if err != nil {
			return nil, err
		}
		if last = s.ping(ctx); last == nil {
			return s, nil
		}
		s.release(true)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("conn: no live connection to retry on: %w", unprefixed(last))
}

// execFresh runs a statement on a fresh connection, the retry of Exec.
func (h *handle) execFresh(ctx context.Context, text string, args []any) (Result, error) {
	s, err := h.freshSession(ctx)
	if err != nil {
		return Result{}, err
	}
	res, err := s.exec(ctx, text, args)
	s.release(false)
	return res, err
}

// queryFresh runs a query on a fresh connection, the retry of Query, into r; the result
// gives the connection back when it closes.
func (h *handle) queryFresh(ctx context.Context, text string, args []any, into *driverRows) error {
	s, err := h.freshSession(ctx)
	if err != nil {
		return err
	}
	if err := s.query(ctx, text, args, into); err != nil {
		s.release(false)
		return err
	}
	into.sess = s
	return nil
}
