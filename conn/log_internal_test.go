package conn

import (
	"context"
	"log/slog"
	"testing"

	"github.com/typedsql/typedsql/txn"
)

// enabledDiscard takes every record and drops it: logging on, at the cost of formatting only.
type enabledDiscard struct{}

func (enabledDiscard) Enabled(context.Context, slog.Level) bool  { return true }
func (enabledDiscard) Handle(context.Context, slog.Record) error { return nil }
func (h enabledDiscard) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h enabledDiscard) WithGroup(string) slog.Handler           { return h }

// observeOnce does what a statement and a transaction control operation pay for observation.
func observeOnce(h *handle, ctx context.Context, args []any) {
	o := &h.obs
	qctx, ob := o.startStmt(ctx, "SELECT 1 WHERE 1 = $1", args)
	if ob.on {
		o.endStmt(qctx, ob, "conn: exec", "SELECT 1 WHERE 1 = $1", args, 1, nil, false)
	}
	_, done := h.traceTx(ctx, txn.Control{Op: txn.OpBegin, Depth: 1, SQL: "BEGIN"})
	done(nil)
}

// With debug records off and no tracer, observing a statement costs no allocation: the
// benchmarks of issue 4 compare conn with raw drivers, and logging must not show in them.
func TestObserverOffAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	args := []any{1}
	for name, logger := range map[string]*slog.Logger{
		"default logger at info": nil, // slog.Default(), whose level is info
		"discard handler":        slog.New(slog.DiscardHandler),
	} {
		h := &handle{obs: newObserver(Config{Adapter: "postgres", Host: "h", Port: 5432, Database: "d", Logger: logger})}
		if n := testing.AllocsPerRun(1000, func() { observeOnce(h, ctx, args) }); n != 0 {
			t.Errorf("%s: %v allocations per statement with logging off", name, n)
		}
	}
}

// BenchmarkStatementObserver measures what observing one statement adds, off and on.
func BenchmarkStatementObserver(b *testing.B) {
	ctx := context.Background()
	args := []any{1}
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"off", Config{Logger: slog.New(slog.DiscardHandler)}},
		{"slog-debug", Config{Logger: slog.New(enabledDiscard{})}},
		{"tracer", Config{Logger: slog.New(slog.DiscardHandler), Tracer: nopTracer{}}},
	} {
		c.cfg.Adapter, c.cfg.Database = "sqlite", ":memory:"
		h := &handle{obs: newObserver(c.cfg)}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				observeOnce(h, ctx, args)
			}
		})
	}
}

type nopTracer struct{}

func (nopTracer) TraceQueryStart(ctx context.Context, _ TraceQueryStartData) context.Context {
	return ctx
}
func (nopTracer) TraceQueryEnd(context.Context, TraceQueryEndData) {}
