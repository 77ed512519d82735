package conn

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/typedsql/typedsql/internal/engine"
)

// sqliteSetup is what every connection of a SQLite DB gets beyond its DSN and may change while
// the DB runs: pragmas (DB.SetPragma), attached databases (DB.Attach, DB.Detach) and Go
// functions (DB.RegisterFunction). Each change is a step, numbered by its place in steps (its
// generation). A connection opening takes every step; a connection opened before a step takes
// it when database/sql next hands the connection out (ResetSession, setupConn), before any
// statement runs on it. A connection in use when a step is added (a block's) takes it after
// it is given back.
//
// It is the connector database/sql opens through (under oneAtATime and initConnector).
type sqliteSetup struct {
	eng *engine.Engine
	dsn string
	// gen is len(steps), read without the lock when a connection is handed out.
	gen atomic.Int64
	// opener opens connections carrying the current functions (a driver.Connector).
	opener atomic.Value

	mu    sync.Mutex // serializes changes; steps only grows, so a copy of it stays valid
	steps []setupStep
	funcs []engine.Function
}

// setupStep is one statement every connection runs, or a new function.
type setupStep struct {
	sql  string
	args []any
	// reopen marks a new function: a connection opened before it cannot take it (the
	// driver adds functions only when it opens a connection), so it is closed instead, and
	// database/sql opens another through the new opener.
	reopen bool
}

type connectorBox struct{ driver.Connector }

func newSQLiteSetup(eng *engine.Engine, dsn string, c driver.Connector) *sqliteSetup {
	s := &sqliteSetup{eng: eng, dsn: dsn}
	s.opener.Store(connectorBox{c})
	return s
}

// Connect opens a connection and runs every step on it. A step added while it ran is run
// too, so that a statement that starts after SetPragma returned never meets a new connection
// without it.
func (s *sqliteSetup) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := s.opener.Load().(connectorBox).Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc := &setupConn{passConn: passConn{c}, s: s}
	for sc.gen != s.gen.Load() {
		s.mu.Lock()
		steps := s.steps
		s.mu.Unlock()
		for _, st := range steps[sc.gen:] {
			if !st.reopen { // the opener carried every function known when it connected
				if err := (driverInitConn{c}).Exec(ctx, st.sql, st.args...); err != nil {
					c.Close()
					return nil, err
				}
			}
			sc.gen++
		}
	}
	return sc, nil
}

func (s *sqliteSetup) Driver() driver.Driver { return s.opener.Load().(connectorBox).Driver() }

// errStale: a connection opened before a function was registered (setupConn.catchUp).
var errStale = errors.New("conn: connection opened before a function was registered")

// catchUp runs on c the steps it has not run. It fails with errStale where a step is a
// function, which c cannot take, and with a step's error; the caller closes c then.
func (s *sqliteSetup) catchUp(ctx context.Context, c *setupConn) error {
	if c.gen == s.gen.Load() {
		return nil
	}
	s.mu.Lock()
	steps := s.steps
	s.mu.Unlock()
	return s.run(ctx, c, steps)
}

// run runs steps[c.gen:] on c.
func (s *sqliteSetup) run(ctx context.Context, c *setupConn, steps []setupStep) error {
	for _, st := range steps[c.gen:] {
		if st.reopen {
			return errStale
		}
		if err := (driverInitConn{c.Conn}).Exec(ctx, st.sql, st.args...); err != nil {
			return err
		}
		c.gen++
	}
	return nil
}

// add runs a new step on one connection of b, now, and records it for every other: an error
// (a pragma SQLite refuses, a file ATTACH cannot open) leaves the DB as it was.
func (s *sqliteSetup) add(ctx context.Context, b *sqlBackend, st setupStep) error {
	for {
		sess, err := b.acquire(ctx)
		if err != nil {
			return err
		}
		stale := false
		err = sess.(*sqlSession).c.Raw(func(dc any) error {
			c, ok := unwrapConn[*setupConn](dc)
			if !ok {
				return errors.New("conn: the connection was not opened by conn")
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			// A step added between the connection's checkout and the lock.
			if err := s.run(ctx, c, s.steps); err != nil {
				stale = true
				return err
			}
			if err := (driverInitConn{c.Conn}).Exec(ctx, st.sql, st.args...); err != nil {
				return err
			}
			s.steps = append(s.steps, st)
			s.gen.Store(int64(len(s.steps)))
			c.gen++
			return nil
		})
		sess.release(stale)
		if !stale {
			return err
		}
	}
}

// addFunction makes every connection offer fn: new ones through a new opener, and the ones
// open now are closed, the idle ones at once and the others when they come back.
func (s *sqliteSetup) addFunction(ctx context.Context, b *sqlBackend, fn engine.Function) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	funcs := make([]engine.Function, 0, len(s.funcs)+1)
	for _, f := range s.funcs {
		if f.Name != fn.Name { // registering a name again replaces the function
			funcs = append(funcs, f)
		}
	}
	funcs = append(funcs, fn)
	c, err := s.eng.Connector(ctx, engine.Settings{DSN: s.dsn, Functions: funcs})
	if err != nil {
		return err
	}
	s.funcs = funcs
	s.opener.Store(connectorBox{c})
	s.steps = append(s.steps, setupStep{reopen: true})
	s.gen.Store(int64(len(s.steps)))
	b.evictIdle()
	return nil
}

// setupConn is a SQLite connection that knows which setup steps it has run; passConn passes
// on every interface of the driver's connection that database/sql uses.
type setupConn struct {
	passConn
	s   *sqliteSetup
	gen int64 // steps run; guarded by database/sql's lock on the connection
}

// ResetSession is called by database/sql before it hands out a connection that was used
// before: the connection catches up on the steps added since, or is discarded
// (driver.ErrBadConn) and replaced by a new one, which runs them all as it opens, or reports
// the step's error.
func (c *setupConn) ResetSession(ctx context.Context) error {
	if err := c.passConn.ResetSession(ctx); err != nil {
		return err
	}
	if err := c.s.catchUp(ctx, c); err != nil {
		return driver.ErrBadConn
	}
	return nil
}
