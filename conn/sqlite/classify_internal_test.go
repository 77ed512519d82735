package sqlite

import (
	"testing"

	"github.com/typedsql/typedsql/internal/engine"
)

// The real-engine tests (conn's classify_test.go) produce each class from a statement; these
// pin down the table for codes a test cannot produce on demand.

func TestSQLiteClasses(t *testing.T) {
	for code, want := range map[int]engine.Class{
		19: engine.Integrity, 2067: engine.Integrity, 1555: engine.Integrity, 787: engine.Integrity, 1299: engine.Integrity, 275: engine.Integrity,
		3091: engine.Data, 18: engine.Data, 20: engine.Data,
		5: engine.Serialization, 517: engine.Serialization, 261: engine.Operational,
		1: engine.Programming, 25: engine.Programming, 21: engine.Interface, 22: engine.NotSupported,
		2: engine.Internal, 11: engine.Internal, 6: engine.Operational, 8: engine.Operational, 10: engine.Operational, 14: engine.Operational, 26: engine.Operational,
	} {
		if got := sqliteClass(code); got != want {
			t.Errorf("SQLite code %d: class %d, want %d", code, got, want)
		}
	}
}

// TestSQLiteMissingColumn: the column (and table, when qualified) of SQLite's "no such
// column" message, in the forms SQLite writes it.
func TestSQLiteMissingColumn(t *testing.T) {
	for msg, want := range map[string][2]string{
		`SQL logic error: no such column: "staus" - should this be a string literal in single-quotes? (1)`: {"", "staus"},
		`SQL logic error: no such column: "a.b" - should this be a string literal in single-quotes? (1)`:   {"", "a.b"},
		`SQL logic error: no such column: u.nmae (1)`:                                                      {"u", "nmae"},
		`SQL logic error: no such column: nmae (1)`:                                                        {"", "nmae"},
		`SQL logic error: no such table: jobs (1)`:                                                         {"", ""},
	} {
		if table, column := sqliteMissingColumn(msg); [2]string{table, column} != want {
			t.Errorf("%s: table %q, column %q; want %q", msg, table, column, want)
		}
	}
}
