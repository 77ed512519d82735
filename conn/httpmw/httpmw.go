// Package httpmw is net/http middleware that ties a request to a database connection: Conn pins
// one connection of a conn.DB for the request (peewee's request hooks: connect when the request
// comes in, close when the response goes out), and Transaction also makes the request one
// transaction (Emmett's pipe: commit when the request succeeded, roll back when it failed).
//
//	mux := http.NewServeMux()
//	mux.HandleFunc("POST /orders", createOrder)     // uses r.Context() for every statement
//	http.ListenAndServe(":8080", httpmw.Transaction(db)(mux))
//
// Handlers must make their statements with the request's context (r.Context()): that is what
// carries the pinned connection and the transaction.
package httpmw

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/txn"
)

// Option adjusts the middleware.
type Option func(*config)

type config struct {
	onError   func(w http.ResponseWriter, r *http.Request, err error)
	txOpts    []txn.Option
	maxBuffer int
}

// DefaultMaxBuffer is how much of a response Transaction holds back until COMMIT by default.
const DefaultMaxBuffer = 256 << 10

// OnError sets what answers a request when the database fails outside the handler: no
// connection could be pinned (the pool is exhausted past its acquire timeout, the server is
// down), or BEGIN or COMMIT failed. The default logs the error with slog at error level and
// answers 503 Service Unavailable for an operational error (conn.ErrOperational: connection,
// timeout, serialization failure, deadlock) and 500 otherwise, without the error's text.
func OnError(fn func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(c *config) {
		if fn != nil {
			c.onError = fn
		}
	}
}

// TxOptions passes package txn options (isolation level, read-only, retry) to each request's
// transaction. With txn.Retry, a transaction whose COMMIT loses a serialization conflict or a
// deadlock runs the handler again, with the response of the failed run discarded (unless part
// of it was already sent); the handler must then be safe to run twice, and must not need the
// request body a second time. A statement that fails inside the handler is the handler's to
// answer: a 5xx answer rolls back without a retry.
func TxOptions(opts ...txn.Option) Option {
	return func(c *config) { c.txOpts = append(c.txOpts, opts...) }
}

// MaxBuffer sets how many bytes of a response Transaction holds back until COMMIT has
// succeeded (default DefaultMaxBuffer). A response that grows past it, or that the handler
// flushes, is sent at once, and from then on COMMIT failing can no longer change what the
// client got. 0 sends every response as it is written.
func MaxBuffer(n int) Option {
	return func(c *config) { c.maxBuffer = max(n, 0) }
}

func newConfig(opts []Option) config {
	c := config{onError: defaultOnError, maxBuffer: DefaultMaxBuffer}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

func defaultOnError(w http.ResponseWriter, r *http.Request, err error) {
	code := http.StatusInternalServerError
	if errors.Is(err, conn.ErrOperational) || errors.Is(err, context.DeadlineExceeded) {
		code = http.StatusServiceUnavailable
	}
	slog.ErrorContext(r.Context(), "httpmw: database failure outside the handler",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", code), slog.Any("err", err))
	http.Error(w, http.StatusText(code), code)
}

// Conn returns middleware that pins one connection of db for each request, so that every
// statement the handler makes with the request's context runs on it (session settings and
// temporary tables carry over), and gives it back when the handler returns: clean, or closed
// as conn.DB.WithConn describes (a panic closes it and goes on up to net/http).
//
//	handler = httpmw.Conn(db)(handler)
func Conn(db *conn.DB, opts ...Option) func(http.Handler) http.Handler {
	cfg := newConfig(opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ran := false
			err := db.WithConn(r.Context(), func(ctx context.Context) error {
				ran = true
				next.ServeHTTP(w, r.WithContext(ctx))
				return nil
			})
			if err != nil && !ran {
				cfg.onError(w, r, err)
			}
		})
	}
}

// errFailedStatus rolls a request's transaction back when the handler answered 5xx.
var errFailedStatus = errors.New("httpmw: handler answered with a server error status")

// Transaction returns middleware that runs each request in one transaction on a pinned
// connection: BEGIN before the handler, COMMIT when it returns with a status below 500, and
// ROLLBACK when it answers 500 or more or panics (the panic then goes on up to net/http, and the
// response it had written is dropped). A handler that catches a failed statement and answers
// with a 4xx (a 409 for conn.ErrIntegrity, say) gets its answer sent on every engine: on
// PostgreSQL the failed statement aborted the transaction, so the COMMIT rolls back instead,
// and the 4xx goes out; on MySQL/MariaDB and SQLite the rest of the request's work commits.
//
//	handler = httpmw.Transaction(db, httpmw.TxOptions(txn.Serializable, txn.Retry(3)))(handler)
//
// The response is held back (up to MaxBuffer bytes) until COMMIT has succeeded, so a client
// never sees a success whose data was not committed: if COMMIT fails, OnError answers instead.
// The ResponseWriter the handler gets keeps http.Flusher, and through Unwrap everything
// http.ResponseController offers (deadlines, Hijack, full duplex); flushing sends what is held
// at once, as does a response that outgrows MaxBuffer.
func Transaction(db *conn.DB, opts ...Option) func(http.Handler) http.Handler {
	cfg := newConfig(opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tw := newTxWriter(w, cfg.maxBuffer)
			ran := false
			err := db.WithConn(r.Context(), func(ctx context.Context) error {
				if ran && !tw.reset() {
					// txn.Retry runs the handler again, but part of its first response has
					// been sent: the second could not replace it.
					return errSentBeforeRetry
				}
				ran = true
				next.ServeHTTP(tw, r.WithContext(ctx))
				if tw.status() >= 500 {
					return errFailedStatus
				}
				return nil
			}, conn.InTransaction(cfg.txOpts...))
			switch {
			case err == nil, errors.Is(err, errFailedStatus):
				tw.release()
			case errors.Is(err, txn.ErrAborted) && isClientError(tw.status()) && !tw.sent():
				// A statement failed and aborted the transaction (PostgreSQL), and the handler
				// caught it and answered with a client error, such as a 409 for a duplicate:
				// the COMMIT rolled back instead, which is what a 4xx promises, so its answer
				// stands. A success status on an aborted transaction still fails below: it
				// would tell the client that work was saved when none was.
				tw.release()
			case tw.sent():
				// The response went out before the failure: all that is left is to say so.
				slog.ErrorContext(r.Context(), "httpmw: transaction failed after the response was sent",
					slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
			default:
				tw.discard()
				cfg.onError(w, r, err)
			}
		})
	}
}

// isClientError reports a 4xx status: the handler refused the request.
func isClientError(code int) bool { return code >= 400 && code < 500 }

var errSentBeforeRetry = errors.New("httpmw: cannot retry the transaction: the first attempt's response was already sent (flushed, or larger than MaxBuffer)")
