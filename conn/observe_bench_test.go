package conn_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/typedsql/typedsql/conn"
)

type takeAllDiscard struct{}

func (takeAllDiscard) Enabled(context.Context, slog.Level) bool  { return true }
func (takeAllDiscard) Handle(context.Context, slog.Record) error { return nil }
func (h takeAllDiscard) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h takeAllDiscard) WithGroup(string) slog.Handler           { return h }

type nopTracer struct{}

func (nopTracer) TraceQueryStart(ctx context.Context, _ conn.TraceQueryStartData) context.Context {
	return ctx
}
func (nopTracer) TraceQueryEnd(context.Context, conn.TraceQueryEndData) {}

// BenchmarkExecObserved runs one statement on an in-memory SQLite database (no network, so
// conn's own cost shows) with the statement log off, on (a handler that takes every record and
// drops it), and with a tracer that does nothing.
func BenchmarkExecObserved(b *testing.B) {
	for _, c := range []struct {
		name string
		opts []conn.Option
	}{
		{"log-off", []conn.Option{conn.WithLogger(slog.New(slog.DiscardHandler))}},
		{"log-debug", []conn.Option{conn.WithLogger(slog.New(takeAllDiscard{}))}},
		{"tracer", []conn.Option{conn.WithLogger(slog.New(slog.DiscardHandler)), conn.WithTracer(nopTracer{})}},
	} {
		b.Run(c.name, func(b *testing.B) {
			db, err := conn.Open(b.Context(), "sqlite:///:memory:", c.opts...)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			stmt := conn.SQL("SELECT ?")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.Exec(b.Context(), stmt, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
