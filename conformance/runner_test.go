package conformance

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// A stmtCase is one statement, run on every engine (or on the engines in only: a
// dialect-specific case) against a fresh database holding the fixture rows.
type stmtCase struct {
	name string
	// only limits the case to these engines; nil means all three.
	only []testcontainers.Engine
	// before prepares the database further (for example holds a row lock in another session).
	before func(t *testing.T, db *testcontainers.Database)
	// stmt builds the statement; it is called once per engine.
	stmt func() builder.Statement

	// unsupported lists the dialects ("postgres", "mysql", "mariadb", "sqlite") whose Build
	// must fail with builder.ErrUnsupported, with a fragment of the message.
	unsupported map[string]string
	// invalid: Build must fail with builder.ErrInvalid on every dialect, with this fragment.
	invalid string

	// rows the statement returns (a query, or RETURNING), in order unless unordered. The Go
	// type of each column's first non-nil value is the type it is scanned into. A non-nil rows
	// (use none for an empty result) means the statement is run with Query, else with Exec.
	rows      [][]any
	rowsOn    map[string][][]any // per dialect, where engines legitimately differ
	unordered bool
	columns   []string // if set, the result's column names

	// affected is RowsAffected of an Exec (nil: not checked); affectedOn overrides per dialect.
	affected   *int64
	affectedOn map[string]int64
	// execErr: executing must fail, on every engine, with an error containing this
	// (case-insensitive).
	execErr string

	// after is a query (? placeholders) whose result must be afterRows once the statement ran:
	// the rows it changed.
	after     string
	afterRows [][]any

	// brokenOn marks a known bug of the library on a dialect, with what it is: there the case
	// must still fail (its failure is logged, marked KNOWN BUG), and the test fails once the
	// case passes, so the mark cannot outlive the bug.
	brokenOn map[string]string
}

// none is an empty result, as opposed to no result (nil).
var none = [][]any{}

func n(v int64) *int64 { return &v }

// dialectFor is the dialect the database's server speaks.
func dialectFor(db *testcontainers.Database) dialect.Dialect {
	switch {
	case db.Engine == testcontainers.EnginePostgres:
		return dialect.Postgres
	case db.MariaDB():
		return dialect.MariaDB
	case db.Engine == testcontainers.EngineMySQL:
		return dialect.MySQL
	}
	return dialect.SQLite
}

func runStatementCases(t *testing.T, cases []stmtCase) {
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("two cases are named %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, e := range testcontainers.Engines {
				if tc.only != nil && !slices.Contains(tc.only, e) {
					continue // dialect-specific: the case does not exist on e
				}
				t.Run(string(e), func(t *testing.T) {
					t.Parallel()
					db := testcontainers.Open(t, e)
					tc.run(t, db)
				})
			}
		})
	}
}

func (tc *stmtCase) run(t *testing.T, db *testcontainers.Database) {
	d := dialectFor(db)
	problems := tc.check(t, db, d)
	if why, broken := tc.brokenOn[d.Name()]; broken {
		if len(problems) == 0 {
			t.Errorf("the known bug %q no longer shows on %s: remove it from the case's brokenOn", why, d.Name())
			return
		}
		t.Logf("KNOWN BUG on %s: %s; the case still fails as expected:\n%s", d.Name(), why, strings.Join(problems, "\n"))
		recordKnownBug(t, d.Name(), why)
		return
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// check runs the case on db and returns what differed from the expectation. Set-up failures
// (schema, fixtures, before) stop the test at once instead: they are not the case's result.
func (tc *stmtCase) check(t *testing.T, db *testcontainers.Database, d dialect.Dialect) (problems []string) {
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	// Built twice, and the second statement run: its SQL may come from the shape cache (see
	// expr.Shape), so it is compared with a fresh rendering, which does not use the cache.
	_, _, _ = tc.stmt().Build(d)
	query, args, err := tc.stmt().Build(d)
	if e, ok := tc.stmt().(expr.Expression); ok {
		// A new statement of the case: its values may differ (times), its SQL may not.
		if fresh, freshArgs, freshErr := expr.Render(d, e); fresh != query ||
			len(freshArgs) != len(args) || (freshErr == nil) != (err == nil) {
			fail("Build on %s served %q %v (%v) where a fresh rendering gives %q %v (%v)",
				d.Name(), query, args, err, fresh, freshArgs, freshErr)
		}
	}
	if frag, ok := tc.unsupported[d.Name()]; ok {
		if !errors.Is(err, builder.ErrUnsupported) || !strings.Contains(err.Error(), frag) {
			fail("Build on %s: got %q, %v; want an ErrUnsupported error containing %q", d.Name(), query, err, frag)
		}
		return problems
	}
	if tc.invalid != "" {
		if !errors.Is(err, builder.ErrInvalid) || !strings.Contains(err.Error(), tc.invalid) {
			fail("Build on %s: got %q, %v; want an ErrInvalid error containing %q", d.Name(), query, err, tc.invalid)
		}
		return problems
	}
	if err != nil {
		fail("Build on %s: %v", d.Name(), err)
		return problems
	}
	createSchema(t, db)
	if tc.before != nil {
		tc.before(t, db)
	}
	t.Logf("%s %v", query, args)

	ctx := t.Context()
	want, isQuery := tc.rows, tc.rows != nil
	if w, ok := tc.rowsOn[d.Name()]; ok {
		want, isQuery = w, true
	}
	var execErr error
	if isQuery {
		var rows *sql.Rows
		rows, execErr = db.SQL.QueryContext(ctx, query, args...)
		if execErr == nil {
			if tc.columns != nil {
				if cols, err := rows.Columns(); err != nil || !slices.Equal(cols, tc.columns) {
					fail("result columns %q (%v), want %q", cols, err, tc.columns)
				}
			}
			var got [][]any
			got, execErr = scanAll(rows, want)
			if execErr == nil {
				if diff := compareRows(got, want, tc.unordered); diff != "" {
					fail("result: %s", diff)
				}
			}
		}
	} else {
		var res sql.Result
		res, execErr = db.SQL.ExecContext(ctx, query, args...)
		if execErr == nil {
			wantN, check := tc.affectedOn[d.Name()]
			if !check && tc.affected != nil {
				wantN, check = *tc.affected, true
			}
			if check {
				if got, err := res.RowsAffected(); err != nil || got != wantN {
					fail("rows affected %d (%v), want %d", got, err, wantN)
				}
			}
		}
	}
	switch {
	case tc.execErr != "":
		if execErr == nil || !strings.Contains(strings.ToLower(execErr.Error()), strings.ToLower(tc.execErr)) {
			fail("executing: got error %v, want one containing %q", execErr, tc.execErr)
		}
		return problems
	case execErr != nil:
		fail("executing: %v", execErr)
		return problems
	}

	if tc.after != "" {
		rows, err := db.SQL.QueryContext(ctx, rebind(db, tc.after))
		if err != nil {
			t.Fatalf("%s: %v", tc.after, err)
		}
		got, err := scanAll(rows, tc.afterRows)
		if err != nil {
			t.Fatalf("%s: %v", tc.after, err)
		}
		if diff := compareRows(got, tc.afterRows, false); diff != "" {
			fail("after the statement, %s: %s", tc.after, diff)
		}
	}
	return problems
}

// recordKnownBug appends "dialect<TAB>test<TAB>bug" to the file TYPEDSQL_TEST_KNOWN_BUGS names,
// if any, so that .ci/run can list the known bugs of a green run instead of hiding them in
// verbose output.
func recordKnownBug(t *testing.T, dialectName, why string) {
	path := os.Getenv("TYPEDSQL_TEST_KNOWN_BUGS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		_, err = fmt.Fprintf(f, "%s\t%s\t%s\n", dialectName, t.Name(), strings.ReplaceAll(why, "\n", " "))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Errorf("TYPEDSQL_TEST_KNOWN_BUGS: %v", err)
	}
}

// scanAll reads every row, scanning column i into the type of want's first non-nil value in
// column i (through **T, so NULL scans as nil), or into any when the column has none.
func scanAll(rows *sql.Rows, want [][]any) ([][]any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	types := make([]reflect.Type, len(cols))
	for _, r := range want {
		for i, v := range r {
			if i < len(types) && types[i] == nil && v != nil {
				types[i] = reflect.TypeOf(v)
			}
		}
	}
	var out [][]any
	for rows.Next() {
		dest := make([]any, len(cols))
		for i, typ := range types {
			if typ == nil {
				dest[i] = new(any)
			} else {
				dest[i] = reflect.New(reflect.PointerTo(typ)).Interface()
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan row %d: %w", len(out)+1, err)
		}
		row := make([]any, len(cols))
		for i, p := range dest {
			v := reflect.ValueOf(p).Elem()
			switch {
			case v.Kind() == reflect.Interface:
				row[i] = v.Interface()
			case v.IsNil():
				row[i] = nil
			default:
				row[i] = v.Elem().Interface()
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// compareRows returns how got differs from want, or "".
func compareRows(got, want [][]any, unordered bool) string {
	if unordered {
		got, want = sortedRows(got), sortedRows(want)
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = len(got[i]) == len(want[i])
		for j := 0; ok && j < len(got[i]); j++ {
			ok = sameValue(got[i][j], want[i][j])
		}
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("\n got  %s\n want %s", showRows(got), showRows(want))
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y)))
	}
	return reflect.DeepEqual(a, b)
}

func sortedRows(rows [][]any) [][]any {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b []any) int { return strings.Compare(showRows([][]any{a}), showRows([][]any{b})) })
	return out
}

func showRows(rows [][]any) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			if s, ok := v.(string); ok {
				fmt.Fprintf(&b, "%q", s)
			} else if tm, ok := v.(time.Time); ok {
				b.WriteString(tm.UTC().Format(time.RFC3339Nano))
			} else {
				fmt.Fprintf(&b, "%v", v)
			}
		}
		b.WriteByte(')')
	}
	b.WriteByte(']')
	return b.String()
}
