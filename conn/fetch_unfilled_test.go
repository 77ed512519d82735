package conn_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// syncBuffer is a log destination safe for the pool's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// unfilledRuns numbers TestFetchReportsUnfilledFields's runs (-count), each of which needs a
// plan of its own: a plan is reported once per process.
var unfilledRuns atomic.Int64

// casing spells word with the letters whose bit is set in pattern upper-cased: a column name
// that fields take just the same (tags match ignoring case) but that is a new plan's.
func casing(word string, pattern int64) string {
	b := []byte(word)
	for i := range b {
		if pattern>>i&1 == 1 {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// TestFetchReportsUnfilledFields: with the DB's logger taking debug records, the fields a result
// leaves unfilled are reported once per plan as a warning; a nested struct no column reaches is
// reported as itself. With debug records off nothing is reported. The plan is the same on every
// engine (it is made from the column names alone), and plans are shared by the whole process,
// so this runs on one.
func TestFetchReportsUnfilledFields(t *testing.T) {
	type team struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}
	type member struct {
		ID    int64  `db:"id"`
		Name  string `db:"name"`
		Email string `db:"email"`
		Team  *team  `db:"team"`
		Lead  *team  `db:"lead"`
	}
	tdb := testcontainers.SQLite(t)
	ctx := t.Context()

	quiet := &syncBuffer{}
	db := openT(t, tdb, conn.WithLogger(slog.New(slog.NewTextHandler(quiet, &slog.HandlerOptions{Level: slog.LevelInfo}))))
	run := unfilledRuns.Add(1)
	id, name := casing("id", run), casing("name", run>>2)
	sel := `SELECT 1 AS ` + id + `, 'ann' AS ` + name + `, 7 AS "team.id"`
	if _, err := conn.All[member](ctx, db, conn.SQL(sel)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(quiet.String(), "no column fills") {
		t.Errorf("reported without debug records: %s", quiet)
	}

	logged := &syncBuffer{}
	db = openT(t, tdb, conn.WithLogger(slog.New(slog.NewTextHandler(logged, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	for range 3 {
		if _, err := conn.All[member](ctx, db, conn.SQL(sel)); err != nil {
			t.Fatal(err)
		}
	}
	out := logged.String()
	if n := strings.Count(out, "no column fills"); n != 1 {
		t.Fatalf("reported %d times, want once:\n%s", n, out)
	}
	for _, want := range []string{"level=WARN", "member.Email", "member.Team.Name", "member.Lead", `columns="` + id + ", " + name + `, team.id"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"member.ID", "member.Lead.ID", "member.Team.ID", "member.Team,"} {
		if strings.Contains(out, not) {
			t.Errorf("the report names %q, which is filled or covered:\n%s", not, out)
		}
	}
}
