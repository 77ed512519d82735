package httpmw_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/httpmw"
	"github.com/typedsql/typedsql/testcontainers"
	"github.com/typedsql/typedsql/txn"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := testcontainers.Purge(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = max(code, 1)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutines left behind:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func open(t *testing.T, tdb *testcontainers.Database, opts ...conn.Option) *conn.DB {
	t.Helper()
	db, err := conn.Open(t.Context(), tdb.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func harnessExec(t *testing.T, tdb *testcontainers.Database, sql string) {
	t.Helper()
	if _, err := tdb.SQL.ExecContext(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// committed counts the rows of table the harness's own connection sees: only committed ones.
func committed(t *testing.T, tdb *testcontainers.Database, table string) int {
	t.Helper()
	var n int
	if err := tdb.SQL.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func insertSQL(e testcontainers.Engine, table string) conn.SQL {
	if e == testcontainers.EnginePostgres {
		return conn.SQL("INSERT INTO " + table + " (n) VALUES ($1)")
	}
	return conn.SQL("INSERT INTO " + table + " (n) VALUES (?)")
}

// serve runs one request through h and returns the recorded response and what the handler
// panicked with, if it did.
func serve(h http.Handler, method, path string) (rec *httptest.ResponseRecorder, panicked any) {
	rec = httptest.NewRecorder()
	req := httptest.NewRequest(method, path, nil)
	func() {
		defer func() { panicked = recover() }()
		h.ServeHTTP(rec, req)
	}()
	return rec, panicked
}

func TestTransactionCommitsOnlySuccessfulRequests(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		harnessExec(t, tdb, "CREATE TABLE requests (n int)")
		db := open(t, tdb)
		insert := insertSQL(tdb.Engine, "requests")
		n := 0
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n++
			if _, err := db.Exec(r.Context(), insert, n); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			switch r.URL.Path {
			case "/ok":
				w.Header().Set("X-Row", fmt.Sprint(n))
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, "created")
			case "/implicit":
				io.WriteString(w, "fine") // status 200 without WriteHeader
			case "/missing":
				http.NotFound(w, r)
			case "/fail":
				http.Error(w, "broken", http.StatusInternalServerError)
			case "/unavailable":
				w.WriteHeader(http.StatusServiceUnavailable)
			case "/panic":
				io.WriteString(w, "half a response")
				panic("handler bug")
			}
		})
		h := httpmw.Transaction(db)(handler)

		cases := []struct {
			path      string
			status    int
			body      string
			committed int // rows committed after the request, in total
		}{
			{"/ok", http.StatusCreated, "created", 1},
			{"/implicit", http.StatusOK, "fine", 2},
			{"/missing", http.StatusNotFound, "404 page not found\n", 3}, // below 500: committed
			{"/fail", http.StatusInternalServerError, "broken\n", 3},
			{"/unavailable", http.StatusServiceUnavailable, "", 3},
			{"/ok", http.StatusCreated, "created", 4},
		}
		for _, c := range cases {
			rec, p := serve(h, "POST", c.path)
			if p != nil {
				t.Fatalf("%s panicked: %v", c.path, p)
			}
			if rec.Code != c.status || rec.Body.String() != c.body {
				t.Errorf("%s: got %d %q, want %d %q", c.path, rec.Code, rec.Body.String(), c.status, c.body)
			}
			if got := committed(t, tdb, "requests"); got != c.committed {
				t.Errorf("after %s: %d rows committed, want %d", c.path, got, c.committed)
			}
		}
		if rec, _ := serve(h, "POST", "/ok"); rec.Header().Get("X-Row") == "" {
			t.Error("a header the handler set was lost")
		}

		rec, p := serve(h, "POST", "/panic")
		if p != "handler bug" {
			t.Fatalf("the handler's panic did not go on up: recovered %v", p)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("the panicking handler's partial response was sent: %q", rec.Body.String())
		}
		if got := committed(t, tdb, "requests"); got != 5 {
			t.Errorf("after the panic: %d rows committed, want 5 (its row rolled back)", got)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections still in use", s.InUse)
		}
	})
}

// A COMMIT that fails must not leave the client with the handler's success: the response is
// held until the transaction's outcome is known.
func TestTransactionCommitFailureReplacesResponse(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		// A constraint checked at COMMIT: a deferred unique key on PostgreSQL, a deferred
		// foreign key on SQLite. MySQL/MariaDB checks every constraint at once.
		switch tdb.Engine {
		case testcontainers.EnginePostgres:
			harnessExec(t, tdb, "CREATE TABLE deferred (n int UNIQUE DEFERRABLE INITIALLY DEFERRED)")
		case testcontainers.EngineSQLite:
			harnessExec(t, tdb, "CREATE TABLE parent (n int PRIMARY KEY)")
			harnessExec(t, tdb, "CREATE TABLE deferred (n int REFERENCES parent (n) DEFERRABLE INITIALLY DEFERRED)")
		default:
			t.Skip("MySQL/MariaDB has no deferred constraints: COMMIT cannot fail on one")
		}
		db := open(t, tdb)
		insert := insertSQL(tdb.Engine, "deferred")
		var reported error
		h := httpmw.Transaction(db, httpmw.OnError(func(w http.ResponseWriter, r *http.Request, err error) {
			reported = err
			http.Error(w, "try again", http.StatusConflict)
		}))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for range 2 { // the second is a duplicate (PostgreSQL) / both lack a parent (SQLite)
				if _, err := db.Exec(r.Context(), insert, 7); err != nil {
					t.Errorf("insert: %v", err)
				}
			}
			w.Header().Set("Location", "/deferred/7")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, "created")
		}))
		rec, p := serve(h, "POST", "/")
		if p != nil {
			t.Fatal(p)
		}
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "try again") {
			t.Errorf("got %d %q, want the OnError answer", rec.Code, rec.Body.String())
		}
		if rec.Header().Get("Location") != "" {
			t.Error("the failed handler's headers were sent with the error")
		}
		if !errors.Is(reported, conn.ErrIntegrity) {
			t.Errorf("OnError got %v, want the COMMIT's integrity error", reported)
		}
		if got := committed(t, tdb, "deferred"); got != 0 {
			t.Errorf("%d rows committed", got)
		}
	})
}

// A handler that catches a failed statement and answers with a client error gets its answer
// sent on every engine. On PostgreSQL the failure aborted the transaction, so COMMIT could
// only roll back; that used to replace the handler's 409 with a plain 500.
func TestTransactionHandledClientError(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		harnessExec(t, tdb, "CREATE TABLE accounts (n int PRIMARY KEY)")
		harnessExec(t, tdb, "CREATE TABLE audit (n int)")
		harnessExec(t, tdb, "INSERT INTO accounts VALUES (7)")
		db := open(t, tdb)
		var onError error
		mw := httpmw.Transaction(db, httpmw.OnError(func(w http.ResponseWriter, r *http.Request, err error) {
			onError = err
			http.Error(w, "database failure", http.StatusInternalServerError)
		}))
		// status is what the handler answers after the duplicate insert failed.
		handler := func(status int) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if _, err := db.Exec(r.Context(), insertSQL(tdb.Engine, "audit"), 1); err != nil {
					t.Errorf("audit insert: %v", err)
				}
				_, err := db.Exec(r.Context(), insertSQL(tdb.Engine, "accounts"), 7)
				if !errors.Is(err, conn.ErrIntegrity) {
					t.Errorf("duplicate insert: %v, want an integrity error", err)
				}
				w.Header().Set("X-Reason", "duplicate")
				w.WriteHeader(status)
				io.WriteString(w, "account 7 exists")
			})
		}

		rec, p := serve(mw(handler(http.StatusConflict)), "POST", "/accounts")
		if p != nil {
			t.Fatal(p)
		}
		if rec.Code != http.StatusConflict || rec.Body.String() != "account 7 exists" || rec.Header().Get("X-Reason") != "duplicate" {
			t.Errorf("got %d %q %v, want the handler's 409", rec.Code, rec.Body.String(), rec.Header())
		}
		if onError != nil {
			t.Errorf("OnError ran with %v", onError)
		}
		// PostgreSQL rolled the aborted transaction back; the others committed the audit row.
		want := 1
		if tdb.Engine == testcontainers.EnginePostgres {
			want = 0
		}
		if got := committed(t, tdb, "audit"); got != want {
			t.Errorf("%d audit rows committed, want %d", got, want)
		}

		// A success status on an aborted transaction would claim work that was not saved:
		// on PostgreSQL OnError answers instead; elsewhere the request commits as it is.
		onError = nil
		rec, p = serve(mw(handler(http.StatusOK)), "POST", "/accounts")
		if p != nil {
			t.Fatal(p)
		}
		if tdb.Engine == testcontainers.EnginePostgres {
			if rec.Code != http.StatusInternalServerError || !errors.Is(onError, txn.ErrAborted) {
				t.Errorf("200 on an aborted transaction: got %d, OnError %v; want OnError's 500 with txn.ErrAborted", rec.Code, onError)
			}
		} else if rec.Code != http.StatusOK || onError != nil {
			t.Errorf("got %d, OnError %v; want the handler's 200", rec.Code, onError)
		}
	})
}

// A statement inside an Each loop over the request's connection fails at once on every
// engine (it hung on MySQL/MariaDB until the request's deadline).
func TestEachLoopOnRequestConnection(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		harnessExec(t, tdb, "CREATE TABLE items (n int)")
		harnessExec(t, tdb, "INSERT INTO items VALUES (1), (2)")
		db := open(t, tdb)
		for name, mw := range map[string]func(http.Handler) http.Handler{"Conn": httpmw.Conn(db), "Transaction": httpmw.Transaction(db)} {
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
				defer cancel()
				for _, err := range conn.Each[int64](ctx, db, conn.SQL("SELECT n FROM items")) {
					if err != nil {
						t.Errorf("%s: Each: %v", name, err)
						return
					}
					if _, err := db.Exec(ctx, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrConnBusy) {
						t.Errorf("%s: a statement inside the loop: %v, want conn.ErrConnBusy", name, err)
					}
				}
				w.WriteHeader(http.StatusNoContent)
			}))
			if rec, p := serve(h, "GET", "/items"); p != nil || rec.Code != http.StatusNoContent {
				t.Errorf("%s: got %d, panic %v", name, rec.Code, p)
			}
		}
	})
}

// Streaming handlers keep working: Flush sends what is held at once, and ResponseController
// reaches the server's writer through Unwrap.
func TestTransactionKeepsFlusher(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	harnessExec(t, tdb, "CREATE TABLE streamed (n int)")
	db := open(t, tdb)
	firstSeen := make(chan struct{})
	h := httpmw.Transaction(db)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Errorf("SetWriteDeadline through the wrapper: %v", err)
		}
		io.WriteString(w, "first\n")
		if _, ok := w.(http.Flusher); !ok {
			t.Error("the wrapper lost http.Flusher")
		}
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		select {
		case <-firstSeen: // the client read the first line while the handler still runs
		case <-time.After(10 * time.Second):
			t.Error("the flushed line did not reach the client")
		}
		if _, err := db.Exec(r.Context(), insertSQL(tdb.Engine, "streamed"), 1); err != nil {
			t.Error(err)
		}
		io.WriteString(w, "second\n")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "first\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	close(firstSeen)
	rest, _ := io.ReadAll(br)
	if string(rest) != "second\n" {
		t.Errorf("rest %q", rest)
	}
	if got := committed(t, tdb, "streamed"); got != 1 {
		t.Errorf("%d rows committed", got)
	}
}

// A response larger than MaxBuffer goes out as it is written.
func TestTransactionMaxBuffer(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	db := open(t, tdb)
	big := strings.Repeat("x", 100)
	h := httpmw.Transaction(db, httpmw.MaxBuffer(10))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, big)
		if rec := w.(interface{ Unwrap() http.ResponseWriter }).Unwrap().(*httptest.ResponseRecorder); rec.Body.Len() != len(big) {
			t.Errorf("%d bytes sent before the handler returned, want all %d", rec.Body.Len(), len(big))
		}
	}))
	rec, _ := serve(h, "GET", "/")
	if rec.Code != http.StatusAccepted || rec.Body.String() != big {
		t.Errorf("got %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

func TestConnPinsOneConnectionPerRequest(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		harnessExec(t, tdb, "CREATE TABLE visits (n int)")
		db := open(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 3}))
		var leaked context.Context
		h := httpmw.Conn(db)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			leaked = ctx
			// Session state carries from one statement to the next: same connection.
			for _, q := range []string{"CREATE TEMPORARY TABLE mine (n int)", "INSERT INTO mine VALUES (1)"} {
				if _, err := db.Exec(ctx, conn.SQL(q)); err != nil {
					t.Errorf("%s: %v", q, err)
				}
			}
			var n int
			if err := db.QueryRow(ctx, conn.SQL("SELECT COUNT(*) FROM mine")).Scan(&n); err != nil || n != 1 {
				t.Errorf("temporary table: %d rows, %v", n, err)
			}
			db.Exec(ctx, conn.SQL("DROP TABLE mine"))
			// Without a transaction, each statement commits by itself.
			db.Exec(ctx, insertSQL(tdb.Engine, "visits"), 1)
			if r.URL.Path == "/fail" {
				w.WriteHeader(http.StatusInternalServerError)
			}
			if r.URL.Path == "/panic" {
				panic("handler bug")
			}
		}))
		for i, path := range []string{"/", "/fail", "/panic", "/"} {
			_, p := serve(h, "GET", path)
			if (p != nil) != (path == "/panic") {
				t.Errorf("%s: panic %v", path, p)
			}
			if s := db.Stats(); s.InUse != 0 {
				t.Errorf("%s: %d connections still in use after the response", path, s.InUse)
			}
			if got := committed(t, tdb, "visits"); got != i+1 {
				t.Errorf("after %s: %d rows, want %d (Conn does not make a transaction)", path, got, i+1)
			}
		}
		if _, err := db.Exec(leaked, conn.SQL("SELECT 1")); !errors.Is(err, conn.ErrBlockEnded) {
			t.Errorf("request context used after the response: %v, want ErrBlockEnded", err)
		}
	})
}

// No connection to pin: the request is answered by OnError, and the handler never runs.
func TestConnPoolExhausted(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	db := open(t, tdb, conn.WithPool(conn.PoolConfig{MaxConns: 1, AcquireTimeout: conn.Duration(50 * time.Millisecond)}))
	ran := false
	for _, mw := range []func(*conn.DB, ...httpmw.Option) func(http.Handler) http.Handler{httpmw.Conn, httpmw.Transaction} {
		h := mw(db)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true }))
		err := db.WithConn(t.Context(), func(context.Context) error {
			rec, _ := serve(h, "GET", "/")
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("with the pool exhausted: %d, want 503", rec.Code)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if ran {
		t.Error("the handler ran without a connection")
	}
}

// With txn.Retry, a COMMIT that loses a serialization conflict runs the handler again, and
// the client gets only the second run's response.
func TestTransactionRetryOnSerializationFailure(t *testing.T) {
	tdb := testcontainers.Postgres(t)
	harnessExec(t, tdb, "CREATE TABLE skew_a (n int)")
	harnessExec(t, tdb, "CREATE TABLE skew_b (n int)")
	db := open(t, tdb)
	attempts := 0
	h := httpmw.Transaction(db, httpmw.TxOptions(txn.Serializable, txn.Retry(3)))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts++
		ctx := r.Context()
		var n int
		if err := db.QueryRow(ctx, conn.SQL("SELECT COUNT(*) FROM skew_a")).Scan(&n); err != nil {
			t.Error(err)
		}
		if _, err := db.Exec(ctx, conn.SQL("INSERT INTO skew_b VALUES ($1)"), n); err != nil {
			t.Error(err)
		}
		if attempts == 1 {
			// A concurrent transaction reads what this one writes and writes what it read,
			// and commits first: this one's COMMIT must fail with a serialization failure.
			other, err := tdb.SQL.BeginTx(t.Context(), &sql.TxOptions{Isolation: sql.LevelSerializable})
			if err != nil {
				t.Fatal(err)
			}
			other.Exec("SELECT COUNT(*) FROM skew_b")
			other.Exec("INSERT INTO skew_a VALUES (1)")
			if err := other.Commit(); err != nil {
				t.Fatalf("the concurrent transaction: %v", err)
			}
			w.Header().Set("X-Attempt", "first")
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "attempt %d saw %d", attempts, n)
	}))
	rec, p := serve(h, "POST", "/")
	if p != nil {
		t.Fatal(p)
	}
	if attempts != 2 {
		t.Fatalf("the handler ran %d times, want 2", attempts)
	}
	if rec.Code != http.StatusCreated || rec.Body.String() != "attempt 2 saw 1" || rec.Header().Get("X-Attempt") != "" {
		t.Errorf("got %d %q (X-Attempt %q), want only the second run's response", rec.Code, rec.Body.String(), rec.Header().Get("X-Attempt"))
	}
	if got := committed(t, tdb, "skew_b"); got != 1 {
		t.Errorf("%d rows in skew_b, want 1", got)
	}
}

// A handler that flushed before choosing its status, then answers 500, still rolls back.
func TestTransactionStatusAfterFlush(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	harnessExec(t, tdb, "CREATE TABLE flushed (n int)")
	db := open(t, tdb)
	h := httpmw.Transaction(db)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		db.Exec(r.Context(), insertSQL(tdb.Engine, "flushed"), 1)
		w.(http.Flusher).Flush()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	serve(h, "POST", "/")
	if got := committed(t, tdb, "flushed"); got != 0 {
		t.Errorf("%d rows committed after a 500 that came after a flush", got)
	}
}
