package conn

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/internal/engine"
)

// WithLogger sends the DB's statement log to l. Every statement is logged at debug level, so
// nothing is formatted unless l's handler enables debug records:
//
//	time=... level=DEBUG msg="conn: exec" db=sqlite:///:memory: sql="UPDATE \"users\" SET \"name\" = ? WHERE \"id\" = ?" nargs=2 rows=1 duration=41.5µs
//	time=... level=DEBUG msg="conn: tx" db=sqlite:///:memory: op=SAVEPOINT depth=2 sql="SAVEPOINT \"sp1\"" duration=4.9µs
//
// (ExampleWithLogger prints these.) Transaction control is logged too, with the SQL as sent.
// Without WithLogger the DB logs to slog.Default() as it is at the time of each statement.
// Pass slog.New(slog.DiscardHandler) to silence a DB whatever the default logger does.
func WithLogger(l *slog.Logger) Option { return func(c *Config) { c.Logger = l } }

// LogArguments puts the values bound to each statement into its log record ("args") and into
// TraceQueryStartData.Args. Off by default, because values are often personal data or
// secrets: without it a record carries only how many arguments there were ("nargs"), and the
// text of an error that may quote a value (a server's "Duplicate entry 'ann@example.com'")
// is left out in favour of its code.
func LogArguments() Option { return func(c *Config) { c.LogArguments = true } }

// observer is a handle's logging and tracing set-up, fixed when the handle is made.
type observer struct {
	logger        *slog.Logger // nil: slog.Default() at each statement
	logArgs       bool
	tracer        Tracer
	acquireTracer AcquireTracer
	txTracer      TxTracer
	endpoint      *Endpoint
	name          string // the database as a redacted URL: the "db" attribute
}

func newObserver(r Config) observer {
	o := observer{logger: r.Logger, logArgs: r.LogArguments, tracer: r.Tracer, endpoint: endpointOf(r), name: config.RedactedURL(r)}
	o.acquireTracer, _ = r.Tracer.(AcquireTracer)
	o.txTracer, _ = r.Tracer.(TxTracer)
	return o
}

// debugLogger returns the logger when it takes debug records for ctx, else nil. This check is
// all a statement pays for logging while debug records are off.
func (o *observer) debugLogger(ctx context.Context) *slog.Logger {
	l := o.logger
	if l == nil {
		l = slog.Default()
	}
	if !l.Enabled(ctx, slog.LevelDebug) {
		return nil
	}
	return l
}

// stmtObs is one statement being observed. The zero value (on false) means nothing observes
// it, and costs nothing.
type stmtObs struct {
	log   *slog.Logger
	start time.Time
	on    bool
}

// startStmt begins observing a statement: it returns the context to run it with (the
// tracer's) and the observation to end.
func (o *observer) startStmt(ctx context.Context, sql string, args []any) (context.Context, stmtObs) {
	lg := o.debugLogger(ctx)
	if o.tracer == nil && lg == nil {
		return ctx, stmtObs{}
	}
	s := stmtObs{log: lg, start: time.Now(), on: true}
	if o.tracer != nil {
		var a []any
		if o.logArgs {
			a = args
		}
		ctx = o.tracer.TraceQueryStart(ctx, TraceQueryStartData{Endpoint: o.endpoint, SQL: sql, Args: a})
	}
	return ctx, s
}

// endStmt reports a statement's end to the tracer and the log.
func (o *observer) endStmt(ctx context.Context, s stmtObs, msg, sql string, args []any, rows int64, err error, retried bool) {
	d := time.Since(s.start)
	if o.tracer != nil {
		o.tracer.TraceQueryEnd(ctx, TraceQueryEndData{Endpoint: o.endpoint, SQL: sql, Rows: rows, Err: err, Duration: d, Retried: retried})
	}
	if s.log == nil {
		return
	}
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs, slog.String("db", o.name), slog.String("sql", sql), o.argsAttr(args),
		slog.Int64("rows", rows), slog.Duration("duration", d))
	if retried {
		attrs = append(attrs, slog.Bool("retried", true))
	}
	if err != nil {
		attrs = append(attrs, o.errAttr(err, args))
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
}

// logTx writes the debug record of a transaction control operation.
func (o *observer) logTx(ctx context.Context, lg *slog.Logger, op TxOp, depth int, sql string, d time.Duration, err error) {
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("db", o.name), slog.String("op", op.String()), slog.Int("depth", depth),
		slog.String("sql", sql))
	attrs = append(attrs, slog.Duration("duration", d))
	if err != nil {
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	lg.LogAttrs(ctx, slog.LevelDebug, "conn: tx", attrs...)
}

// logRetry records, at info level, that a statement met a dead connection and runs again.
func (o *observer) logRetry(ctx context.Context, sql string, args []any, err error) {
	l := o.logger
	if l == nil {
		l = slog.Default()
	}
	if !l.Enabled(ctx, slog.LevelInfo) {
		return
	}
	l.LogAttrs(ctx, slog.LevelInfo, "conn: connection lost before the statement ran; retrying once on a fresh connection",
		slog.String("db", o.name), slog.String("sql", sql), o.errAttr(err, args))
}

func (o *observer) argsAttr(args []any) slog.Attr {
	if o.logArgs {
		return slog.Any("args", args)
	}
	return slog.Int("nargs", len(args))
}

// errAttr describes a statement's error without quoting its arguments, unless the user opted
// in: servers put values into their messages (MySQL's "Duplicate entry 'ann@example.com' for
// key 'email'", PostgreSQL's `invalid input syntax for type integer: "x"`), so a server error is
// logged by its code, and any other error's text has the statement's arguments masked.
func (o *observer) errAttr(err error, args []any) slog.Attr {
	if o.logArgs || len(args) == 0 {
		return slog.String("err", err.Error())
	}
	if code, ok := serverErrorCode(err); ok {
		return slog.String("err", code+" (message withheld: it may quote argument values; see conn.LogArguments)")
	}
	return slog.String("err", maskArgs(err.Error(), args))
}

// serverErrorCode names a database server's error by its code alone.
func serverErrorCode(err error) (string, bool) {
	for _, e := range engine.All() {
		if e.ServerCode == nil {
			continue
		}
		if code, ok := e.ServerCode(err); ok {
			return code, true
		}
	}
	return "", false
}

// maskArgs replaces, in an error's text, every argument as fmt would print it. Values shorter
// than three characters are left: masking every "1" would garble the message and hides little.
func maskArgs(msg string, args []any) string {
	for _, a := range args {
		var s string
		switch v := a.(type) {
		case nil, bool:
			continue
		case string:
			s = v
		case []byte:
			s = string(v)
		default:
			s = fmt.Sprint(v)
		}
		if len(s) >= 3 {
			msg = strings.ReplaceAll(msg, s, "[arg]")
		}
	}
	return msg
}
