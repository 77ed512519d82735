// Package tracing holds the types a tracer of package conn implements and receives: Tracer,
// AcquireTracer and TxTracer, and the data they are given. Package conn re-exports each under
// the same name (conn.Tracer is tracing.Tracer), so that a tracer is written against either;
// they live here so that a Config (package conn/config) can carry a Tracer without importing
// conn.
package tracing

import (
	"context"
	"time"
)

// Tracer observes the statements a DB runs: one TraceQueryStart and one TraceQueryEnd per
// Exec, Query, QueryRow and fetch call, whichever connection runs it. It is the hook for
// OpenTelemetry spans or metrics; conn itself depends on no tracing library. Set it with
// conn.WithTracer. A tracer may also implement AcquireTracer and TxTracer to see connections being
// pinned and transactions.
//
// Methods are called on the goroutine making the statement and must be safe for concurrent
// use. The context TraceQueryStart returns is the one the driver receives and the one
// TraceQueryEnd gets, so a span started there is the parent of the driver's own spans.
//
// An OpenTelemetry adapter, in the user's module (go.opentelemetry.io/otel/trace):
//
//	type otelTracer struct{ t trace.Tracer }
//
//	func (o otelTracer) TraceQueryStart(ctx context.Context, d conn.TraceQueryStartData) context.Context {
//		ctx, _ = o.t.Start(ctx, "db.query", trace.WithSpanKind(trace.SpanKindClient),
//			trace.WithAttributes(
//				attribute.String("db.system.name", d.Endpoint.System),
//				attribute.String("db.namespace", d.Endpoint.Database),
//				attribute.String("server.address", d.Endpoint.Host),
//				attribute.Int("server.port", d.Endpoint.Port),
//				attribute.String("db.query.text", d.SQL)))
//		return ctx
//	}
//
//	func (o otelTracer) TraceQueryEnd(ctx context.Context, d conn.TraceQueryEndData) {
//		span := trace.SpanFromContext(ctx)
//		span.SetAttributes(attribute.Int64("db.response.returned_rows", d.Rows))
//		if d.Err != nil {
//			span.RecordError(d.Err)
//			span.SetStatus(codes.Error, d.Err.Error())
//		}
//		span.End()
//	}
//
//	db, err := conn.Open(ctx, url, conn.WithTracer(otelTracer{otel.Tracer("app/db")}))
type Tracer interface {
	// TraceQueryStart is called before the statement is sent.
	TraceQueryStart(ctx context.Context, data TraceQueryStartData) context.Context
	// TraceQueryEnd is called when the statement is over: for Exec when it returns, for
	// Query when its Rows are exhausted or closed.
	TraceQueryEnd(ctx context.Context, data TraceQueryEndData)
}

// AcquireTracer is implemented by a Tracer that also wants to see a connection being taken
// out of the pool and pinned for a block (conn.DB.WithConn, Atomic blocks, the HTTP middleware). A
// statement made outside any block borrows its connection inside the query span; that wait is
// part of the query's duration.
type AcquireTracer interface {
	TraceAcquireStart(ctx context.Context, data TraceAcquireStartData) context.Context
	TraceAcquireEnd(ctx context.Context, data TraceAcquireEndData)
}

// TxTracer is implemented by a Tracer that also wants to see transaction control: BEGIN,
// COMMIT, ROLLBACK, SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT.
type TxTracer interface {
	TraceTxStart(ctx context.Context, data TraceTxStartData) context.Context
	TraceTxEnd(ctx context.Context, data TraceTxEndData)
}

// Endpoint identifies the database a DB talks to, in the terms tracing conventions use.
type Endpoint struct {
	// System is the engine: "postgresql", "mysql", "mariadb" or "sqlite" (the values of
	// OpenTelemetry's db.system.name).
	System string
	// Host and Port are the server's address; empty and 0 for SQLite.
	Host string
	Port int
	// Database is the database name; for SQLite, the file path or ":memory:".
	Database string
}

// TraceQueryStartData describes a statement about to run.
type TraceQueryStartData struct {
	Endpoint *Endpoint
	// SQL is the rendered text, with placeholders.
	SQL string
	// Args are the bound values, or nil unless the DB was opened with conn.LogArguments: values
	// are often personal data or secrets.
	Args []any
}

// TraceQueryEndData describes how a statement ended.
type TraceQueryEndData struct {
	Endpoint *Endpoint
	SQL      string
	// Rows is the number of rows affected (Exec) or read (Query).
	Rows int64
	// Err is the statement's error, classified, or nil.
	Err error
	// Duration runs from TraceQueryStart to now: for a Query it includes reading the rows.
	Duration time.Duration
	// Retried reports that the first attempt met a dead connection and the statement ran
	// again on a fresh one (see conn.DB.Exec).
	Retried bool
}

// TraceAcquireStartData describes a wait for a connection to pin.
type TraceAcquireStartData struct {
	Endpoint *Endpoint
}

// TraceAcquireEndData describes how the wait for a connection ended.
type TraceAcquireEndData struct {
	Endpoint *Endpoint
	Err      error
	Duration time.Duration
}

// TxOp is a transaction control operation.
type TxOp uint8

// The transaction control operations a TxTracer sees.
const (
	TxBegin      TxOp = iota + 1 // BEGIN
	TxCommit                     // COMMIT
	TxRollback                   // ROLLBACK
	TxSavepoint                  // SAVEPOINT name
	TxRelease                    // RELEASE SAVEPOINT name
	TxRollbackTo                 // ROLLBACK TO SAVEPOINT name
)

// String returns the operation's SQL keyword, e.g. "ROLLBACK TO SAVEPOINT".
func (op TxOp) String() string {
	switch op {
	case TxBegin:
		return "BEGIN"
	case TxCommit:
		return "COMMIT"
	case TxRollback:
		return "ROLLBACK"
	case TxSavepoint:
		return "SAVEPOINT"
	case TxRelease:
		return "RELEASE SAVEPOINT"
	case TxRollbackTo:
		return "ROLLBACK TO SAVEPOINT"
	}
	return "TxOp(?)"
}

// TraceTxStartData describes a transaction control operation about to run.
type TraceTxStartData struct {
	Endpoint *Endpoint
	Op       TxOp
	// Depth is 1 for the outermost transaction, 2 for a savepoint inside it, and so on.
	Depth int
	// Savepoint is the savepoint's name for TxSavepoint, TxRelease and TxRollbackTo.
	Savepoint string
	// SQL is the text sent, quoted as the engine gets it (SAVEPOINT "sp1"); statements sent
	// together for one operation (MySQL's SET TRANSACTION, then START TRANSACTION) are
	// separated by "; ".
	SQL string
}

// TraceTxEndData describes how a transaction control operation ended.
type TraceTxEndData struct {
	Endpoint  *Endpoint
	Op        TxOp
	Depth     int
	Savepoint string
	SQL       string
	Err       error
	Duration  time.Duration
}
