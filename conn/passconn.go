package conn

import (
	"context"
	"database/sql/driver"
	"errors"
)

// passConn passes every optional interface database/sql looks for on a connection through to
// the driver's connection it wraps, or gives driver.ErrSkip where the driver has none, which
// makes database/sql take its own fallback. The wrappers conn puts around driver connections
// (trackedConn for pool upkeep, setupConn for SQLite's per-connection setup) embed it and
// override what they are for, so that none of them hides an interface of the driver.
type passConn struct {
	driver.Conn
}

// IsValid is asked when the connection comes back to the pool: false closes it.
func (c passConn) IsValid() bool {
	v, ok := c.Conn.(driver.Validator)
	return !ok || v.IsValid()
}

// ResetSession is asked when the connection is taken from the pool again: driver.ErrBadConn
// closes it and database/sql takes another.
func (c passConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c passConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := c.Conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c passConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if e, ok := c.Conn.(driver.QueryerContext); ok {
		return e.QueryContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c passConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, q)
	}
	return c.Prepare(q)
}

func (c passConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	if opts.Isolation != 0 || opts.ReadOnly {
		return nil, errors.New("conn: the driver takes no transaction options")
	}
	return c.Begin() //nolint:staticcheck // the driver has nothing newer
}

func (c passConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c passConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// Unwrap returns the driver's connection, for code that reaches it through sql.Conn.Raw.
func (c passConn) Unwrap() driver.Conn { return c.Conn }

// unwrapConn finds the connection of type T in the chain of wrappers dc is the outermost of
// (what sql.Conn.Raw hands over): dc itself, or what its Unwrap methods lead to.
func unwrapConn[T driver.Conn](dc any) (T, bool) {
	for {
		if c, ok := dc.(T); ok {
			return c, true
		}
		u, ok := dc.(interface{ Unwrap() driver.Conn })
		if !ok {
			var zero T
			return zero, false
		}
		dc = u.Unwrap()
	}
}
