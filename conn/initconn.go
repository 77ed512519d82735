package conn

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// initConnector wraps a database/sql connector to run the init hooks on each new physical
// connection and to count the connections opened (database/sql does not).
type initConnector struct {
	driver.Connector
	hooks    []InitFunc
	newConns atomic.Int64
	// book dates each connection for CloseStale and ResetPool (upkeep_sql.go).
	book connBook
	// timeout bounds each connect (the connect timeout), which target (the redacted URL)
	// names when it runs out; secrets are masked in what the driver reports.
	timeout time.Duration
	target  string
	secrets []string
}

func newInitConnector(c driver.Connector, hooks []InitFunc) *initConnector {
	return &initConnector{Connector: c, hooks: hooks}
}

func (ic *initConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := ic.connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := runInit(ctx, ic.hooks, driverInitConn{c}); err != nil {
		c.Close()
		return nil, err
	}
	ic.newConns.Add(1)
	return &trackedConn{passConn: passConn{c}, book: &ic.book, born: time.Now(), resets: ic.book.resets.Load()}, nil
}

// connect opens a driver connection within the connect timeout. go-sql-driver/mysql's own
// Timeout bounds only the TCP dial, not the server's greeting and the login, and a wait for a
// free connection no longer bounds the connect (slots.go): without this a server that accepts
// and never answers would hang a statement that has no deadline of its own.
func (ic *initConnector) connect(ctx context.Context) (driver.Conn, error) {
	if ic.timeout <= 0 {
		return ic.Connector.Connect(ctx)
	}
	cctx, cancel := context.WithTimeout(ctx, ic.timeout)
	defer cancel()
	c, err := ic.Connector.Connect(cctx)
	if err == nil {
		return c, nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr // the caller's context ended first: its error, not the connect's
	}
	if cctx.Err() != nil {
		return nil, connectTimeoutError(ic.target, ic.timeout, err, ic.secrets)
	}
	return nil, err
}

// connectTimeoutError reports a connect that ran out of the connect timeout as a failure to
// connect (ErrOperational, naming the server, never the password): not ErrAcquireTimeout,
// since no one waited for a free connection, and not the caller's deadline, which had not
// passed. It wraps what the driver said (often context.DeadlineExceeded, as pgx's own connect
// timeout error does).
func connectTimeoutError(target string, timeout time.Duration, err error, secrets []string) error {
	return &Error{
		Class: ErrOperational,
		Err:   err,
		msg:   redactString(fmt.Sprintf("connect to %s: no connection within the connect timeout of %s: %v", target, timeout, err), secrets),
	}
}

func runInit(ctx context.Context, hooks []InitFunc, c InitConn) error {
	for i, h := range hooks {
		if err := h(ctx, c); err != nil {
			return fmt.Errorf("conn: connection init hook %d of %d: %w", i+1, len(hooks), err)
		}
	}
	return nil
}

// driverInitConn runs init statements on a raw driver connection, before database/sql has
// it.
type driverInitConn struct{ c driver.Conn }

func (d driverInitConn) Exec(ctx context.Context, q string, args ...any) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return fmt.Errorf("conn: init statement argument %d: %w", i+1, err)
		}
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	if ex, ok := d.c.(driver.ExecerContext); ok {
		_, err := ex.ExecContext(ctx, q, named)
		if !errors.Is(err, driver.ErrSkip) {
			return err
		}
		// go-sql-driver/mysql skips the direct path for statements with arguments (unless
		// interpolateParams is on): prepare them instead.
	}
	pc, ok := d.c.(driver.ConnPrepareContext)
	if !ok {
		return fmt.Errorf("conn: driver connection %T cannot run init statements", d.c)
	}
	st, err := pc.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	defer st.Close()
	sx, ok := st.(driver.StmtExecContext)
	if !ok {
		return fmt.Errorf("conn: driver statement %T cannot run init statements", st)
	}
	_, err = sx.ExecContext(ctx, named)
	return err
}
