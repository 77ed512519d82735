package httpmw

import (
	"bufio"
	"net"
	"net/http"
)

// txWriter is the ResponseWriter a Transaction handler writes to. It records the status and
// holds the response (status, and up to limit bytes of body) until the transaction's outcome is
// known; headers go straight into the real header map, which is snapshotted so that a retried
// handler starts from the headers it first saw.
type txWriter struct {
	w      http.ResponseWriter
	limit  int
	code   int    // the status the handler chose, 0 until it chose one
	buf    []byte // body held back
	direct bool   // the response is being sent as written
	hijack bool   // the handler took over the connection
	header http.Header
}

func newTxWriter(w http.ResponseWriter, limit int) *txWriter {
	return &txWriter{w: w, limit: limit, header: w.Header().Clone()}
}

func (t *txWriter) Header() http.Header { return t.w.Header() }

// WriteHeader records the status; informational (1xx) statuses are sent at once, as net/http
// does, since they do not end the response.
func (t *txWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		t.w.WriteHeader(code)
		return
	}
	if t.code == 0 {
		// Recorded even once the response is streaming: a handler that flushed first and
		// then answers 500 still fails, and its transaction must roll back.
		t.code = code
	}
	if t.direct {
		t.w.WriteHeader(code)
	}
}

func (t *txWriter) Write(p []byte) (int, error) {
	if t.code == 0 {
		t.code = http.StatusOK
	}
	if t.direct {
		return t.w.Write(p)
	}
	if len(t.buf)+len(p) > t.limit {
		if err := t.goDirect(); err != nil {
			return 0, err
		}
		return t.w.Write(p)
	}
	t.buf = append(t.buf, p...)
	return len(p), nil
}

// goDirect sends what is held and lets the rest of the response through as written.
func (t *txWriter) goDirect() error {
	if t.direct {
		return nil
	}
	t.direct = true
	if t.code != 0 {
		t.w.WriteHeader(t.code)
	}
	if len(t.buf) == 0 {
		return nil
	}
	_, err := t.w.Write(t.buf)
	t.buf = nil
	return err
}

// Flush sends what is held and flushes it to the client (http.Flusher).
func (t *txWriter) Flush() { _ = t.FlushError() }

// FlushError is Flush reporting failure, for http.ResponseController.
func (t *txWriter) FlushError() error {
	if err := t.goDirect(); err != nil {
		return err
	}
	return http.NewResponseController(t.w).Flush()
}

// Hijack hands the connection to the handler (http.Hijacker), when the server's
// ResponseWriter allows it; the transaction no longer decides anything about the response.
func (t *txWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(t.w).Hijack()
	if err == nil {
		t.hijack, t.direct = true, true
	}
	return c, rw, err
}

// Unwrap gives http.ResponseController the server's ResponseWriter, for deadlines and the
// other features this writer does not itself implement.
func (t *txWriter) Unwrap() http.ResponseWriter { return t.w }

// status is the response's status as the handler left it (200 if it wrote nothing).
func (t *txWriter) status() int {
	if t.code == 0 {
		return http.StatusOK
	}
	return t.code
}

// sent reports whether any of the response has gone out.
func (t *txWriter) sent() bool { return t.direct }

// release sends the held response: the transaction's outcome is final.
func (t *txWriter) release() {
	if t.hijack {
		return
	}
	_ = t.goDirect()
}

// discard drops the held response and restores the headers the handler started with, so that
// an error answer is not sent with the handler's headers.
func (t *txWriter) discard() {
	t.buf, t.code = nil, 0
	h := t.w.Header()
	clear(h)
	for k, v := range t.header {
		h[k] = v
	}
}

// reset prepares for the handler to run again, and reports whether it can: not once part of
// the response has been sent.
func (t *txWriter) reset() bool {
	if t.direct {
		return false
	}
	t.discard()
	return true
}
