package conn

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"unsafe"

	"github.com/typedsql/typedsql/internal/engine"
)

// All runs a statement and returns every row as a T. T is a struct whose fields take the
// columns by their `db` tags (embedded structs included), a single value such as int64,
// string or time.Time when the statement returns one column, or a pointer to either. The
// way columns map onto T is worked out once per type and column list and cached.
//
//	type User struct {
//		ID   int64  `db:"id"`
//		Name string `db:"name"`
//	}
//	users, err := conn.All[User](ctx, db, builder.Select(Users.ID, Users.Name).From(Users))
//	// SELECT "id", "name" FROM "users"
//	ids, err := conn.All[int64](ctx, db, conn.SQL("SELECT id FROM users WHERE active = $1"), true)
//
// A column no field takes, or a value that does not fit its field, is a *ScanError naming the
// column and the field. With no rows, All returns an empty slice.
func All[T any](ctx context.Context, db *DB, stmt Statement, args ...any) ([]T, error) {
	sc := getScanner[T]()
	defer sc.release()
	if err := db.query(ctx, stmt, args, &sc.q); err != nil {
		return nil, err
	}
	if err := sc.prepare(ctx, false); err != nil {
		return nil, err
	}
	rows := &sc.q
	out := []T{}
	for rows.Next() {
		v, err := sc.scan()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// One runs a statement that must return exactly one row and returns it as a T (see All for
// what T may be). No row is an error matching ErrNoRows; a second row, ErrTooManyRows.
//
//	u, err := conn.One[User](ctx, db, builder.Select(Users.ID, Users.Name).From(Users).Where(Users.ID.Eq(7)))
//	// SELECT "id", "name" FROM "users" WHERE "id" = $1
//	if errors.Is(err, conn.ErrNoRows) { ... }
func One[T any](ctx context.Context, db *DB, stmt Statement, args ...any) (T, error) {
	var zero T
	sc := getScanner[T]()
	defer sc.release()
	if err := db.query(ctx, stmt, args, &sc.q); err != nil {
		return zero, err
	}
	if err := sc.prepare(ctx, false); err != nil {
		return zero, err
	}
	return sc.one()
}

// Scalar runs a statement returning one row of one column and returns that value:
// a count, a sum, an id.
//
//	n, err := conn.Scalar[int64](ctx, db, builder.Select(expr.Count(Users.ID)).From(Users))
//	// SELECT COUNT("id") FROM "users"
//
// No row matches ErrNoRows, a second row ErrTooManyRows, and a result of more than one column
// is an error. A NULL needs a pointer or sql.Null type: Scalar[*int64].
func Scalar[T any](ctx context.Context, db *DB, stmt Statement, args ...any) (T, error) {
	var zero T
	sc := getScanner[T]()
	defer sc.release()
	if err := db.query(ctx, stmt, args, &sc.q); err != nil {
		return zero, err
	}
	if err := sc.prepare(ctx, true); err != nil {
		return zero, err
	}
	return sc.one()
}

// one reads the result's only row.
func (sc *rowScanner[T]) one() (T, error) {
	var zero T
	rows := &sc.q
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return zero, err
		}
		return zero, ErrNoRows
	}
	v, err := sc.scan()
	if err != nil {
		return zero, err
	}
	if rows.Next() {
		return zero, ErrTooManyRows
	}
	if err := rows.Err(); err != nil {
		return zero, err
	}
	return v, rows.Close()
}

// Each runs a statement and yields its rows one at a time as they arrive, without holding
// them all in memory (see All for what T may be). The statement runs when the loop starts;
// breaking out of the loop closes the result. An error is yielded once, and ends the loop.
//
//	for u, err := range conn.Each[User](ctx, db, builder.Select(Users.ID, Users.Name).From(Users)) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.Name)
//	}
//
// The result holds its connection until the loop ends. Statements in the loop body made with
// a context outside any block borrow another pooled connection. On a connection pinned in ctx
// (an Atomic block, WithConn, the HTTP middleware) they fail at once with ErrConnBusy, on every
// engine, because a connection runs one statement at a time: collect the rows with All first
// there.
func Each[T any](ctx context.Context, db *DB, stmt Statement, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		sc := getScanner[T]()
		defer sc.release()
		if err := db.query(ctx, stmt, args, &sc.q); err != nil {
			yield(zero, err)
			return
		}
		if err := sc.prepare(ctx, false); err != nil {
			yield(zero, err)
			return
		}
		rows := &sc.q
		for rows.Next() {
			v, err := sc.scan()
			if err != nil {
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, err)
			return
		}
		if err := rows.Close(); err != nil {
			yield(zero, err)
		}
	}
}

// rowScanner runs one statement and scans its rows into Ts. It holds the result set itself
// (q), and for a struct T it scans every row into the same reusable value, through field
// pointers made once per result shape, and copies it out; so the work per row is the
// driver's conversion of each column and nothing of reflection. The scanner, its result set,
// its value and (for up to 8 columns) its destinations are one object, reused from one
// statement to the next through the type's pool: a fetch whose columns are those the scanner
// read last time allocates nothing of conn's.
type rowScanner[T any] struct {
	q    stmtRows
	rt   *rowType
	plan *scanPlan // nil for a scalar T
	cols []string
	// ready: cols, plan and dest are set up for a result whose columns are cols.
	ready bool
	// native: cols, plan and dest were set up for a native driver's result (pgx's), which
	// decodes JSON itself; database/sql's needs jsonDests.
	native bool
	v      T // the reused value: a struct's fields, or the scalar, are scanned into it
	dest   []any
	buf    [8]any
	pg     nativePlans // a native driver's plans for dest (pgx's, on PostgreSQL)
	// nd binds the destinations of a plan with nested structs or JSON fields (nil otherwise).
	nd *nestedDest
	sj jsonDest // a scalar T that takes a JSON document, on database/sql
}

// getScanner takes an idle scanner of T from its type's pool, or makes one.
func getScanner[T any]() *rowScanner[T] {
	rt := rowTypeOf(reflect.TypeFor[T]())
	sc, _ := rt.scanners.Get().(*rowScanner[T])
	if sc == nil {
		sc = &rowScanner[T]{rt: rt}
	}
	return sc
}

// release closes the scanner's result set, if it is still open, and gives the scanner back to
// its type's pool, keeping its plan and destinations for the next result of the same shape
// but nothing of the statement it ran.
func (sc *rowScanner[T]) release() {
	var zero T
	sc.q.Close()
	sc.q, sc.v = stmtRows{}, zero
	if sc.nd != nil {
		sc.nd.drop()
	}
	sc.rt.scanners.Put(sc)
}

// prepare sets the scanner up for the columns of the result in q, unless they are those it
// was set up for last time. With scalar (Scalar), the result must have one column.
func (sc *rowScanner[T]) prepare(ctx context.Context, scalar bool) error {
	sc.pg.newResult()
	native := sc.q.rows.nat != nil
	if sc.ready && sc.native == native && sc.q.rows.sameColumns(sc.cols) {
		if scalar {
			return oneColumn(sc.rt.typ, sc.cols)
		}
		sc.reportUnfilled(ctx)
		return nil
	}
	cols, err := resultColumns(&sc.q)
	if err != nil {
		return err
	}
	if scalar {
		if err := oneColumn(sc.rt.typ, cols); err != nil {
			return err
		}
	}
	if err := sc.setup(cols, native); err != nil {
		return err
	}
	sc.reportUnfilled(ctx)
	return nil
}

// oneColumn is Scalar's check of its result.
func oneColumn(t reflect.Type, cols []string) error {
	if len(cols) != 1 {
		return fmt.Errorf("conn: Scalar[%s] needs a result of one column; the statement returned %d (%s)", t, len(cols), strings.Join(cols, ", "))
	}
	return nil
}

// setup makes the scanner's plan and destinations for a result whose columns are cols.
func (sc *rowScanner[T]) setup(cols []string, native bool) error {
	sc.ready = false
	sc.cols, sc.plan, sc.nd, sc.native = cols, nil, nil, native
	sc.pg.reset()
	sc.dest = sc.buf[:0]
	if len(cols) > len(sc.buf) {
		sc.dest = make([]any, 0, len(cols))
	}
	sc.dest = sc.dest[:len(cols)]
	switch sc.rt.kind {
	case rowScalar:
		if len(cols) != 1 {
			return fmt.Errorf("conn: %s takes one column; the statement returned %d (%s): scan into a struct instead", sc.rt.typ, len(cols), strings.Join(cols, ", "))
		}
		sc.dest[0] = &sc.v
		if !native && isJSONKind(sc.rt.typ) {
			sc.sj = jsonDest{typ: sc.rt.typ, ptr: reflect.ValueOf(&sc.v)}
			sc.dest[0] = &sc.sj
		}
	case rowStruct:
		plan, err := sc.rt.plan(cols)
		if err != nil {
			return err
		}
		sc.plan = plan
		if plan.nested.needed(native) {
			sc.nd = newNestedDest(plan, !native, sc.dest)
		}
		sc.bind(unsafe.Pointer(&sc.v))
	default: // rowStructPtr: each row gets its own struct, so its field pointers are per row
		plan, err := sc.rt.plan(cols)
		if err != nil {
			return err
		}
		sc.plan = plan
		if plan.nested.needed(native) {
			sc.nd = newNestedDest(plan, !native, sc.dest)
		}
	}
	sc.ready = true
	return nil
}

// bind points the destinations at the fields of the struct at base.
func (sc *rowScanner[T]) bind(base unsafe.Pointer) {
	sc.plan.dest(base, sc.dest)
	if sc.nd != nil {
		sc.nd.bind(sc.plan, sc.dest)
	}
}

// scan reads the current row into a T.
func (sc *rowScanner[T]) scan() (T, error) {
	var zero T
	if sc.rt.kind == rowStructPtr {
		p := reflect.New(sc.rt.strct)
		sc.bind(p.UnsafePointer())
		if err := sc.scanRow(p.UnsafePointer()); err != nil {
			return zero, err
		}
		return p.Interface().(T), nil
	}
	// Zeroed per row so that nothing of the previous row (a map a JSON column was decoded
	// into, a NULL a driver leaves unset) leaks into this one.
	sc.v = zero
	if err := sc.scanRow(unsafe.Pointer(&sc.v)); err != nil {
		return zero, err
	}
	return sc.v, nil
}

// scanRow scans the current row through the bound destinations, then fills the nested
// structs of the struct at base.
func (sc *rowScanner[T]) scanRow(base unsafe.Pointer) error {
	if sc.nd == nil {
		if err := sc.q.scanPlanned(&sc.pg, sc.dest); err != nil {
			return scanError(err, sc.cols, sc.plan, sc.rt.typ)
		}
		return nil
	}
	sc.nd.clear()
	if err := sc.q.scanPlanned(&sc.pg, sc.dest); err != nil {
		return scanError(err, sc.cols, sc.plan, sc.rt.typ)
	}
	if i := sc.nd.fill(fieldAt(base, 0, sc.rt.strct)); i >= 0 {
		p := sc.plan
		return &ScanError{Column: p.cols[i], Field: p.names[i], Type: p.types[i].String(),
			Err: fmt.Errorf("NULL in a row whose other %s columns are not: make the field a pointer or an sql.Null type", p.nested.groups[p.nested.colGroup[i]].path)}
	}
	return nil
}

// resultColumns returns the result's columns. A result without columns is either a statement
// that failed when it ran (PostgreSQL reports an execution error at the first row, not at
// Query) or one that returns no rows at all, such as an INSERT without RETURNING.
func resultColumns(rows Rows) ([]string, error) {
	if cols := rows.Columns(); len(cols) > 0 {
		return cols, nil
	}
	if sr, ok := rows.(*stmtRows); ok {
		sr.settle() // may run the statement once more (stmtRows.retryFirst)
		if cols := rows.Columns(); len(cols) > 0 {
			return cols, nil
		}
	} else {
		rows.Next()
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return nil, errors.New("conn: the statement returned no columns: fetch with a SELECT, or a statement with RETURNING; run others with Exec")
}

// scanError names the column a conversion failed on, and its field.
func scanError(err error, cols []string, plan *scanPlan, t reflect.Type) error {
	i := failedColumn(err)
	if i < 0 || i >= len(cols) {
		return fmt.Errorf("conn: scanning into %s: %w", t, unprefixed(err))
	}
	se := &ScanError{Column: cols[i], Type: t.String(), Err: err}
	if plan != nil {
		se.Field, se.Type = plan.names[i], plan.types[i].String()
	}
	return se
}

// failedColumn finds the index of the column a driver's scan error is about, or -1.
func failedColumn(err error) int {
	for _, e := range engine.All() { // pgx's ScanArgError
		if e.FailedColumn == nil {
			continue
		}
		if i, ok := e.FailedColumn(err); ok {
			return i
		}
	}
	// database/sql: "sql: Scan error on column index 2, name \"email\": ..."
	var i int
	if _, e := fmt.Sscanf(err.Error(), "sql: Scan error on column index %d", &i); e == nil {
		return i
	}
	return -1
}
