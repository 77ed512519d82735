package engine

import (
	"context"
	"time"
)

// A native engine brings its own pool instead of database/sql's: PostgreSQL on pgxpool
// (conn/postgres). Its Engine has Open set. conn keeps what every engine shares (counting the
// connections lent out so that Close can wait for them, the acquire timeout, sessions,
// blocks, retries, logging); the engine talks to its driver. The interfaces pass the driver's
// own values through (a pooled connection as a Lease, its result set as Rows) so that a
// statement costs no allocation beyond the driver's.

// PoolSettings are the resolved pool settings a native engine makes its pool with. Durations
// are conn's defaults where the user set none.
type PoolSettings struct {
	MaxConns, MinConns       int
	MaxLifetime, MaxIdleTime time.Duration
	// HealthCheckPeriod is 0 for the driver's own default.
	HealthCheckPeriod time.Duration
}

// Execer runs one statement during a connection's set-up (conn.InitConn).
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) error
}

// OpenFunc makes a native engine's pool. It must not connect (beyond what the driver starts
// in the background): conn's Connect is where a bad host or password shows. init, when not
// nil, runs on every new physical connection. Its errors do not repeat the settings: conn
// wraps them with the redacted URL.
type OpenFunc func(ctx context.Context, s Settings, p PoolSettings, init func(context.Context, Execer) error) (Pool, error)

// Lease is one pooled connection borrowed for one statement, or before it is pinned.
type Lease interface {
	// Release gives the connection back to the pool.
	Release()
}

// Rows is a native driver's result set, as conn reads it; the driver's own type.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// RowsReader reads what Rows do not say by themselves.
type RowsReader interface {
	// Columns returns the result's column names.
	Columns(r Rows) []string
	// SameColumns reports whether the result's columns are cols, in order, without making a
	// list of names.
	SameColumns(r Rows, cols []string) bool
	// NewScanPlans makes a keeper of scan plans for a fetch function's scanner.
	NewScanPlans() ScanPlans
}

// ScanPlans keeps the driver's scan plans for one result shape from one statement to the
// next.
type ScanPlans interface {
	// Reset drops the plans: the scanner's destinations changed.
	Reset()
	// NewResult makes the next Scan check the plans against a new result's columns.
	NewResult()
	// Scan reads the current row of r into dest, as r.Scan(dest...) would.
	Scan(r Rows, dest []any) error
}

// Pool is a native engine's pool.
type Pool interface {
	// Reader reads the pool's rows; it must be comparable, and the same for every pool of
	// the engine (scan plans are kept per reader).
	Reader() RowsReader
	// Lease borrows a connection, waiting as long as ctx allows.
	Lease(ctx context.Context) (Lease, error)
	// Exec runs a statement on a leased connection.
	Exec(ctx context.Context, l Lease, sql string, args []any) (rowsAffected int64, err error)
	// Query runs a statement on a leased connection; the lease stays with the result until
	// conn releases it after closing the rows.
	Query(ctx context.Context, l Lease, sql string, args []any) (Rows, error)
	// Pin makes a leased connection a session, which owns it until its Release, and returns
	// the Pinned the session keeps inside itself (so that pinning costs one allocation).
	Pin(l Lease) *Pinned
	// MaxConns is the pool's limit on open connections.
	MaxConns() int
	Stats() PoolStats
	// SafeToRetry reports whether a statement that failed with err on a pooled connection is
	// known not to have reached the server.
	SafeToRetry(err error) bool
	// EvictIdle closes the pool's idle connections now and the others when they come back,
	// so that none outlives a change of the server's role (a primary turned standby).
	EvictIdle()
	// Release gives a leased connection back (l.Release), closing it instead when CloseStale
	// or Reset condemned it while it was in use.
	Release(l Lease)
	// CloseIdle closes the connections idle in the pool now.
	CloseIdle(ctx context.Context)
	// CloseStale closes the connections made before cutoff: the idle ones now, the others
	// when they come back (Release, or a pinned session's Release).
	CloseStale(ctx context.Context, cutoff time.Time)
	// Reset closes every connection made so far: the idle ones now, the others when they
	// come back.
	Reset(ctx context.Context)
	// Close closes the pool. inUse connections are still lent out: the driver closes each
	// when it comes back, and Close must not wait for them.
	Close(inUse int)
}

// PoolStats is a snapshot of a pool's counters (conn.PoolStats).
type PoolStats struct {
	MaxConns, TotalConns, InUse, Idle  int
	WaitCount                          int64
	WaitDuration                       time.Duration
	NewConns, LifetimeClose, IdleClose int64

	ClosedByCloseIdle, ClosedByCloseStale, ClosedByResetPool int64
}

// Pinned is conn's part of a session, kept inside the engine's session value so that
// pinning a connection allocates once: the engine sets Session to the session itself, and
// conn sets the rest.
type Pinned struct {
	Session Session
	Reader  RowsReader
	Lent    any // what conn counts the connection in
}

// Session is one physical connection pinned out of a native pool.
type Session interface {
	Exec(ctx context.Context, sql string, args []any) (rowsAffected int64, err error)
	Query(ctx context.Context, sql string, args []any) (Rows, error)
	// Release gives the connection back to the pool, or closes it when discard is set or
	// the driver knows it is unusable (still inside a transaction, for example).
	Release(discard bool)
	// InTx reports whether the connection is inside a transaction, as the driver sees it.
	InTx() bool
	// Aborted reports a transaction that failed and can only roll back.
	Aborted() bool
	// Closed reports a connection the driver has closed.
	Closed() bool
	Ping(ctx context.Context) error
	// Commit sends the transaction's COMMIT (text) and finds out what became of it. wrote
	// says whether the block may have written. fresh lends a new connection of the same pool
	// to ask the server on, after a lost reply.
	Commit(ctx context.Context, text string, wrote bool, fresh Fresh) Commit
}

// Fresh lends a new, pinged connection of the pool to fn, and takes it back after it (closing
// it when fn failed).
type Fresh interface {
	WithFresh(ctx context.Context, fn func(Session) error) error
}

// CommitStatus is what became of a transaction whose COMMIT was sent (or not).
type CommitStatus uint8

const (
	// Committed: the transaction committed (or wrote nothing, which is the same).
	Committed CommitStatus = iota
	// NotCommitted: the transaction did not commit; Err says why.
	NotCommitted
	// CommitUnknown: nothing proves either way; Why, if not empty, says why the engine could
	// not find out.
	CommitUnknown
)

// Commit reports a COMMIT.
type Commit struct {
	Status CommitStatus
	// NotSent: the COMMIT was not sent (Err says why), so the transaction did not commit.
	NotSent bool
	// Lost: the COMMIT got no reply that proves anything (the connection broke or timed
	// out); Status is what the engine found out after. With NotCommitted, Why is the message
	// that says how it knows.
	Lost bool
	// Err is the COMMIT's error, or why it was not sent; nil when it committed at once.
	Err error
	Why string
}

// WrapPool makes a *conn.DB on a native pool the caller made and keeps owning (conn/postgres's
// FromPool); package conn sets it in init, so that an engine package can offer the wrapper
// without conn exporting its backend. s names the database (for logs and traces); opts are
// the caller's []conn.Option. conn does not close the pool.
var WrapPool func(adapter string, p Pool, s Settings, maxConns int, opts any) (db any, err error)

// DriverConner is implemented by a native engine's Session that lends the driver's own
// connection (pgx's *pgx.Conn) to its engine package's functions, for what only the driver
// can do (COPY: conn/postgres.CopyFrom).
type DriverConner interface {
	DriverConn() any
}

// UseDriverConn runs fn with the driver's own connection (DriverConner) that a statement
// made on db (a *conn.DB) with ctx would run on: the one a block pins in ctx, or else one
// pinned from the pool for fn. It is routed as a statement on tables would be (Using), takes
// its turn on a block's connection like a statement, and is logged and traced as the
// statement text. conn sets it in init, so that an engine package can reach its driver's
// connection without conn exporting it.
var UseDriverConn func(ctx context.Context, db any, text string, tables []string,
	fn func(ctx context.Context, driverConn any) (rowsAffected int64, err error)) (int64, error)
