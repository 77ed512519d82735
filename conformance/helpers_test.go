package conformance

import (
	"strconv"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// exec runs statements that must succeed (schema, fixtures).
func exec(t *testing.T, db *testcontainers.Database, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.SQL.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rebind turns the ? placeholders of a hand-written query into $n for PostgreSQL.
func rebind(db *testcontainers.Database, q string) string {
	if db.Engine != testcontainers.EnginePostgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// queryInts runs a query returning one integer column.
func queryInts(t *testing.T, db *testcontainers.Database, q string, args ...any) []int {
	t.Helper()
	rows, err := db.SQL.QueryContext(t.Context(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
