package conn_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// recordingHandler is a slog.Handler that keeps every record, with its attributes flattened.
type recordingHandler struct {
	level slog.Level
	mu    *sync.Mutex
	recs  *[]logRecord
}

type logRecord struct {
	level slog.Level
	msg   string
	attrs map[string]slog.Value
}

func newRecorder(level slog.Level) (*slog.Logger, func() []logRecord) {
	h := recordingHandler{level: level, mu: new(sync.Mutex), recs: new([]logRecord)}
	return slog.New(h), func() []logRecord {
		h.mu.Lock()
		defer h.mu.Unlock()
		return append([]logRecord(nil), *h.recs...)
	}
}

func (h recordingHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h recordingHandler) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h recordingHandler) WithGroup(string) slog.Handler                { return h }

func (h recordingHandler) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message, attrs: map[string]slog.Value{}}
	r.Attrs(func(a slog.Attr) bool {
		rec.attrs[a.Key] = a.Value.Resolve()
		return true
	})
	h.mu.Lock()
	*h.recs = append(*h.recs, rec)
	h.mu.Unlock()
	return nil
}

// text is everything a handler could print of the record.
func (r logRecord) text() string {
	var b strings.Builder
	b.WriteString(r.msg)
	for k, v := range r.attrs {
		fmt.Fprintf(&b, " %s=%v", k, v.Any())
	}
	return b.String()
}

// urlWithPassword returns a URL for the test database that carries a password the server
// accepts: PostgreSQL's test server trusts local connections whatever the password; on
// MySQL/MariaDB a user with that password is created for the test.
func urlWithPassword(t *testing.T, tdb *testcontainers.Database, password string) string {
	t.Helper()
	u, err := url.Parse(tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	user := u.User.Username()
	if tdb.Engine == testcontainers.EngineMySQL {
		user = "typedsql_log_" + fmt.Sprint(time.Now().UnixNano()%1e6)
		for _, host := range []string{"%", "localhost"} {
			mustExecHarness(t, tdb, fmt.Sprintf("CREATE USER '%s'@'%s' IDENTIFIED BY '%s'", user, host, password))
			mustExecHarness(t, tdb, fmt.Sprintf("GRANT ALL ON `%s`.* TO '%s'@'%s'", tdb.Name, user, host))
			t.Cleanup(func() { tdb.SQL.Exec(fmt.Sprintf("DROP USER '%s'@'%s'", user, host)) })
		}
	}
	u.User = url.UserPassword(user, password)
	return u.String()
}

func TestStatementLog(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		const password = "Pw-s3cret-9971"
		const secret = "ann.secret@example.com"
		mustExecHarness(t, tdb, "CREATE TABLE people (id int PRIMARY KEY, email varchar(60) UNIQUE)")
		target := tdb.URL
		if tdb.Engine != testcontainers.EngineSQLite {
			target = urlWithPassword(t, tdb, password)
		}
		logger, records := newRecorder(slog.LevelDebug)
		db := openURL(t, target, conn.WithLogger(logger))
		ctx := t.Context()
		insert := q(db, "INSERT INTO people (id, email) VALUES (?, ?)")

		if _, err := db.Exec(ctx, insert, 1, secret); err != nil {
			t.Fatal(err)
		}
		var id int
		if err := db.QueryRow(ctx, q(db, "SELECT id FROM people WHERE email = ?"), secret).Scan(&id); err != nil || id != 1 {
			t.Fatalf("select: %d, %v", id, err)
		}
		// A duplicate: MySQL's message would quote the value ("Duplicate entry 'ann...'").
		if _, err := db.Exec(ctx, insert, 2, secret); !errors.Is(err, conn.ErrIntegrity) {
			t.Fatalf("duplicate: %v", err)
		}
		if err := db.Atomic(ctx, func(ctx context.Context) error {
			_, err := db.Exec(ctx, q(db, "UPDATE people SET email = ? WHERE id = 1"), secret+".uk")
			return err
		}); err != nil {
			t.Fatal(err)
		}

		recs := records()
		var execs, queries, txs []logRecord
		for _, r := range recs {
			if strings.Contains(r.text(), secret) {
				t.Errorf("a record carries an argument value: %s", r.text())
			}
			if strings.Contains(r.text(), password) || strings.Contains(r.text(), password[:6]) {
				t.Errorf("a record carries the password: %s", r.text())
			}
			switch r.msg {
			case "conn: exec":
				execs = append(execs, r)
			case "conn: query":
				queries = append(queries, r)
			case "conn: tx":
				txs = append(txs, r)
			}
		}
		if len(execs) != 3 || len(queries) != 1 || len(txs) != 2 {
			t.Fatalf("%d exec, %d query and %d tx records, want 3, 1, 2; all: %v", len(execs), len(queries), len(txs), recs)
		}
		for _, r := range append(execs, queries...) {
			if r.level != slog.LevelDebug {
				t.Errorf("statement logged at %v, want debug", r.level)
			}
			if !strings.Contains(r.attrs["sql"].String(), "people") {
				t.Errorf("record without the SQL: %s", r.text())
			}
			if d := r.attrs["duration"]; d.Kind() != slog.KindDuration || d.Duration() <= 0 {
				t.Errorf("record without a duration: %s", r.text())
			}
			if _, ok := r.attrs["args"]; ok {
				t.Errorf("arguments logged without LogArguments: %s", r.text())
			}
			if r.attrs["nargs"].Int64() == 0 {
				t.Errorf("record does not say how many arguments there were: %s", r.text())
			}
			if !strings.HasPrefix(r.attrs["db"].String(), tdb.URL[:5]) {
				t.Errorf("record db attribute %q", r.attrs["db"])
			}
		}
		if got := execs[0].attrs["rows"].Int64(); got != 1 {
			t.Errorf("INSERT logged %d rows affected, want 1", got)
		}
		if got := queries[0].attrs["rows"].Int64(); got != 1 {
			t.Errorf("SELECT logged %d rows read, want 1", got)
		}
		if e, ok := execs[1].attrs["err"]; !ok || !strings.Contains(e.String(), "withheld") {
			t.Errorf("the duplicate's record has err %v, want the code with the message withheld", e)
		}
		if txs[0].attrs["op"].String() != "BEGIN" || txs[1].attrs["op"].String() != "COMMIT" {
			t.Errorf("tx records: %v", txs)
		}

		// Opting in puts the values, and the server's own message, into the records.
		logger2, records2 := newRecorder(slog.LevelDebug)
		db2 := openURL(t, target, conn.WithLogger(logger2), conn.LogArguments())
		db2.Exec(ctx, insert, 3, secret+".uk")
		if rs := records2(); len(rs) != 1 || !strings.Contains(rs[0].text(), secret) {
			t.Errorf("with LogArguments, the record %v lacks the arguments", rs)
		}
	})
}

// With the logger's level above debug nothing is logged, and the statement pays no more than
// the level check (see TestObserverOffAllocatesNothing and BenchmarkStatementObserver).
func TestStatementLogOff(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	logger, records := newRecorder(slog.LevelInfo)
	db := openT(t, tdb, conn.WithLogger(logger))
	mustExec(t, db, "SELECT 1")
	if rs := records(); len(rs) != 0 {
		t.Errorf("records at info level: %v", rs)
	}
}

// Without WithLogger the DB logs to slog.Default, as it is at each statement.
func TestStatementLogDefault(t *testing.T) {
	tdb := testcontainers.SQLite(t)
	db := openT(t, tdb)
	logger, records := newRecorder(slog.LevelDebug)
	old := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(old)
	mustExec(t, db, "SELECT 1")
	if rs := records(); len(rs) != 1 || rs[0].attrs["sql"].String() != "SELECT 1" {
		t.Errorf("slog.Default received %v", rs)
	}
}
