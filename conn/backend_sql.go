package conn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"
)

// sqlBackend runs MySQL/MariaDB and SQLite through database/sql.
type sqlBackend struct {
	db             *sql.DB
	acquireTimeout time.Duration
	maxConns       int
	owned          bool
	// keep holds one connection open for the life of the DB where the data lives only as long
	// as a connection does (an in-memory SQLite database).
	keep *sql.Conn
}

func (b *sqlBackend) acquireConn(ctx context.Context) (*sql.Conn, error) {
	actx, cancel := withAcquireTimeout(ctx, b.acquireTimeout)
	c, err := b.db.Conn(actx)
	cancel()
	return c, acquireError(ctx, err, b.acquireTimeout, b.maxConns)
}

func (b *sqlBackend) exec(ctx context.Context, q string, args []any) (Result, error) {
	if b.acquireTimeout <= 0 {
		r, err := b.db.ExecContext(ctx, q, args...)
		return sqlResult(r, err)
	}
	c, err := b.acquireConn(ctx)
	if err != nil {
		return Result{}, err
	}
	defer c.Close()
	r, err := c.ExecContext(ctx, q, args...)
	return sqlResult(r, err)
}

func (b *sqlBackend) query(ctx context.Context, q string, args []any) (Rows, error) {
	if b.acquireTimeout <= 0 {
		r, err := b.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		return &sqlRows{rows: r}, nil
	}
	c, err := b.acquireConn(ctx)
	if err != nil {
		return nil, err
	}
	r, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		c.Close()
		return nil, err
	}
	return &sqlRows{rows: r, release: c}, nil
}

func (b *sqlBackend) acquire(ctx context.Context) (session, error) {
	c, err := b.acquireConn(ctx)
	if err != nil {
		return nil, err
	}
	return &sqlSession{c: c}, nil
}

func (b *sqlBackend) ping(ctx context.Context) error {
	c, err := b.acquireConn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.PingContext(ctx)
}

func (b *sqlBackend) stats() PoolStats {
	s := b.db.Stats()
	if b.keep != nil { // the in-memory keeper connection is not the user's
		s.MaxOpenConnections--
		s.OpenConnections--
		s.InUse--
	}
	return PoolStats{
		MaxConns:      s.MaxOpenConnections,
		TotalConns:    s.OpenConnections,
		InUse:         s.InUse,
		Idle:          s.Idle,
		WaitCount:     s.WaitCount,
		WaitDuration:  s.WaitDuration,
		LifetimeClose: s.MaxLifetimeClosed,
		IdleClose:     s.MaxIdleTimeClosed,
	}
}

func (b *sqlBackend) close() error {
	if !b.owned {
		return nil
	}
	if b.keep != nil {
		b.keep.Close()
	}
	// sql.DB.Close waits for queries in progress to finish before closing their connections.
	return b.db.Close()
}

func sqlResult(r sql.Result, err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	var res Result
	res.RowsAffected, _ = r.RowsAffected()
	res.LastInsertID, _ = r.LastInsertId()
	return res, nil
}

// sqlSession is one connection taken out of a database/sql pool.
type sqlSession struct{ c *sql.Conn }

func (s *sqlSession) exec(ctx context.Context, q string, args []any) (Result, error) {
	r, err := s.c.ExecContext(ctx, q, args...)
	return sqlResult(r, err)
}

func (s *sqlSession) query(ctx context.Context, q string, args []any) (Rows, error) {
	r, err := s.c.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return &sqlRows{rows: r}, nil
}

func (s *sqlSession) inTx() bool { return false }

func (s *sqlSession) release(discard bool) {
	if discard {
		// database/sql closes, instead of pooling, a connection whose Raw callback reports
		// driver.ErrBadConn.
		_ = s.c.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = s.c.Close()
}

// sqlRows adapts *sql.Rows to Rows; release, when set, returns the connection borrowed for
// this one query.
type sqlRows struct {
	rows    *sql.Rows
	release *sql.Conn
	cols    []string
}

func (r *sqlRows) Next() bool {
	if r.rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *sqlRows) Scan(dest ...any) error { return r.rows.Scan(dest...) }
func (r *sqlRows) Err() error             { return r.rows.Err() }

func (r *sqlRows) Columns() []string {
	if r.cols == nil {
		r.cols, _ = r.rows.Columns()
	}
	return r.cols
}

func (r *sqlRows) Close() error {
	err := r.rows.Close()
	if r.release != nil {
		r.release.Close()
		r.release = nil
	}
	return err
}
