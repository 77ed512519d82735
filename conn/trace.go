package conn

import (
	"context"
	"strings"
	"time"

	"github.com/typedsql/typedsql/conn/tracing"
	"github.com/typedsql/typedsql/internal/engine"
	"github.com/typedsql/typedsql/txn"
)

// The tracing types live in package conn/tracing (so that package conn/config can carry a
// Tracer) and are re-exported here under the same names: see tracing.Tracer for the contract
// and an OpenTelemetry adapter.
type (
	// Tracer observes the statements a DB runs (tracing.Tracer); set it with WithTracer.
	Tracer = tracing.Tracer
	// AcquireTracer is a Tracer that also sees connections being pinned for a block.
	AcquireTracer = tracing.AcquireTracer
	// TxTracer is a Tracer that also sees transaction control.
	TxTracer = tracing.TxTracer
	// Endpoint identifies the database a DB talks to, in tracing's terms.
	Endpoint = tracing.Endpoint
	// TraceQueryStartData describes a statement about to run.
	TraceQueryStartData = tracing.TraceQueryStartData
	// TraceQueryEndData describes how a statement ended.
	TraceQueryEndData = tracing.TraceQueryEndData
	// TraceAcquireStartData describes a wait for a connection to pin.
	TraceAcquireStartData = tracing.TraceAcquireStartData
	// TraceAcquireEndData describes how the wait for a connection ended.
	TraceAcquireEndData = tracing.TraceAcquireEndData
	// TxOp is a transaction control operation.
	TxOp = tracing.TxOp
	// TraceTxStartData describes a transaction control operation about to run.
	TraceTxStartData = tracing.TraceTxStartData
	// TraceTxEndData describes how a transaction control operation ended.
	TraceTxEndData = tracing.TraceTxEndData
)

// The transaction control operations a TxTracer sees (tracing's, re-exported).
const (
	TxBegin      = tracing.TxBegin      // BEGIN
	TxCommit     = tracing.TxCommit     // COMMIT
	TxRollback   = tracing.TxRollback   // ROLLBACK
	TxSavepoint  = tracing.TxSavepoint  // SAVEPOINT name
	TxRelease    = tracing.TxRelease    // RELEASE SAVEPOINT name
	TxRollbackTo = tracing.TxRollbackTo // ROLLBACK TO SAVEPOINT name
)

// WithTracer sets the Tracer that sees every statement of the DB (see Tracer).
func WithTracer(t Tracer) Option { return func(c *Config) { c.Tracer = t } }

// endpointOf describes a resolved config for tracers.
func endpointOf(r Config) *Endpoint {
	e := &Endpoint{System: r.Adapter, Host: r.Host, Port: r.Port, Database: r.Database}
	if _, eng, ok := engine.Scheme(r.Adapter); ok {
		if s, ok := eng.Systems[r.Adapter]; ok {
			e.System = s // OpenTelemetry's name: "postgresql"
		}
	}
	return e
}

// noTxEnd is what traceTx returns when nothing observes transactions, so that the transaction
// code's fast path allocates nothing.
func noTxEnd(error) {}

// traceTx reports one transaction control operation to the tracer (TxTracer) and the log.
// The transaction code (Atomic blocks) calls it around each BEGIN, COMMIT, ROLLBACK,
// SAVEPOINT, RELEASE and ROLLBACK TO it runs, and calls the returned function with that
// operation's error (nil on success), classified or not:
//
//	ctx, done := sc.h.traceTx(ctx, txn.Control{Op: txn.OpBegin, Depth: 1, SQL: "BEGIN"})
//	_, err := sc.sess.exec(ctx, "BEGIN", nil)
//	done(err)
//
// Use the returned context for the operation itself, so a span the tracer starts is its
// parent. When neither a TxTracer nor a debug-level logger is set it returns ctx and a
// function that does nothing, without allocating.
func (h *handle) traceTx(ctx context.Context, s txn.Control) (context.Context, func(error)) {
	tt := h.obs.txTracer
	lg := h.obs.debugLogger(ctx)
	if tt == nil && lg == nil {
		return ctx, noTxEnd
	}
	op, text := txOps[s.Op], s.SQL
	if len(s.Before) > 0 {
		text = strings.Join(append(s.Before[:len(s.Before):len(s.Before)], s.SQL), "; ")
	}
	start := time.Now()
	if tt != nil {
		ctx = tt.TraceTxStart(ctx, TraceTxStartData{Endpoint: h.obs.endpoint, Op: op, Depth: s.Depth, Savepoint: s.Savepoint, SQL: text})
	}
	return ctx, func(err error) {
		d := time.Since(start)
		if tt != nil {
			tt.TraceTxEnd(ctx, TraceTxEndData{Endpoint: h.obs.endpoint, Op: op, Depth: s.Depth, Savepoint: s.Savepoint, SQL: text, Err: err, Duration: d})
		}
		if lg != nil {
			h.obs.logTx(ctx, lg, op, s.Depth, text, d, err)
		}
	}
}

// traceAcquire reports the pinning of a connection; pin calls it.
func (h *handle) traceAcquire(ctx context.Context) (context.Context, func(error)) {
	at := h.obs.acquireTracer
	if at == nil {
		return ctx, noTxEnd
	}
	start := time.Now()
	ctx = at.TraceAcquireStart(ctx, TraceAcquireStartData{Endpoint: h.obs.endpoint})
	return ctx, func(err error) {
		at.TraceAcquireEnd(ctx, TraceAcquireEndData{Endpoint: h.obs.endpoint, Err: err, Duration: time.Since(start)})
	}
}
