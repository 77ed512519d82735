package conn

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"unsafe"

	"github.com/jackc/pgx/v5"
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
	rows, err := db.Query(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sc, err := newRowScanner[T](rows)
	if err != nil {
		return nil, err
	}
	defer sc.release()
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
	rows, err := db.Query(ctx, stmt, args...)
	if err != nil {
		return zero, err
	}
	defer rows.Close()
	sc, err := newRowScanner[T](rows)
	if err != nil {
		return zero, err
	}
	defer sc.release()
	return oneRow(rows, sc)
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
	rows, err := db.Query(ctx, stmt, args...)
	if err != nil {
		return zero, err
	}
	defer rows.Close()
	cols, err := resultColumns(rows)
	if err != nil {
		return zero, err
	}
	if len(cols) != 1 {
		return zero, fmt.Errorf("conn: Scalar[%s] needs a result of one column; the statement returned %d (%s)", reflect.TypeFor[T](), len(cols), strings.Join(cols, ", "))
	}
	sc, err := newRowScanner[T](rows)
	if err != nil {
		return zero, err
	}
	defer sc.release()
	return oneRow(rows, sc)
}

func oneRow[T any](rows Rows, sc *rowScanner[T]) (T, error) {
	var zero T
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
// The result holds its connection until the loop ends. Statements in the loop body on the
// same DB borrow another pooled connection; on a connection pinned in ctx (WithConn, Atomic)
// they would find it busy, so collect with All first there.
func Each[T any](ctx context.Context, db *DB, stmt Statement, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		rows, err := db.Query(ctx, stmt, args...)
		if err != nil {
			yield(zero, err)
			return
		}
		defer rows.Close()
		sc, err := newRowScanner[T](rows)
		if err != nil {
			yield(zero, err)
			return
		}
		defer sc.release()
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

// rowScanner scans the rows of one result into Ts. For a struct T it scans every row into
// the same reusable value, through field pointers made once per result, and copies it out;
// so the work per row is the driver's conversion of each column and nothing of reflection.
// The scanner, its value and (for up to 8 columns) its destinations are one allocation,
// reused from one result to the next through a pool.
type rowScanner[T any] struct {
	rows Rows
	rt   *rowType
	plan *scanPlan // nil for a scalar T
	cols []string
	v    T // the reused value: a struct's fields, or the scalar, are scanned into it
	dest []any
	buf  [8]any
}

func newRowScanner[T any](rows Rows) (*rowScanner[T], error) {
	rt := rowTypeOf(reflect.TypeFor[T]())
	cols, err := resultColumns(rows)
	if err != nil {
		return nil, err
	}
	// Scanners are reused through the type's pool: a result's scanner is free again once
	// its values have been copied out, and one that scanned the same column list keeps its
	// destinations.
	sc, _ := rt.scanners.Get().(*rowScanner[T])
	if sc == nil {
		sc = &rowScanner[T]{rt: rt}
	}
	sc.rows = rows
	if sc.plan != nil && equalStrings(sc.cols, cols) {
		return sc, nil
	}
	sc.cols, sc.plan = cols, nil
	sc.dest = sc.buf[:0]
	if len(cols) > len(sc.buf) {
		sc.dest = make([]any, 0, len(cols))
	}
	sc.dest = sc.dest[:len(cols)]
	switch rt.kind {
	case rowScalar:
		if len(cols) != 1 {
			return nil, fmt.Errorf("conn: %s takes one column; the statement returned %d (%s): scan into a struct instead", rt.typ, len(cols), strings.Join(cols, ", "))
		}
		sc.dest[0] = &sc.v
	case rowStruct:
		if sc.plan, err = rt.plan(cols); err != nil {
			return nil, err
		}
		sc.plan.dest(unsafe.Pointer(&sc.v), sc.dest)
	default: // rowStructPtr: each row gets its own struct, so its field pointers are per row
		if sc.plan, err = rt.plan(cols); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// release gives the scanner back to its type's pool, keeping its plan and destinations
// for the next result of the same shape but not the result it read.
func (sc *rowScanner[T]) release() {
	var zero T
	sc.rows, sc.v = nil, zero
	sc.rt.scanners.Put(sc)
}

// scan reads the current row into a T.
func (sc *rowScanner[T]) scan() (T, error) {
	var zero T
	if sc.rt.kind == rowStructPtr {
		p := reflect.New(sc.rt.strct)
		sc.plan.dest(p.UnsafePointer(), sc.dest)
		if err := sc.rows.Scan(sc.dest...); err != nil {
			return zero, scanError(err, sc.cols, sc.plan, sc.rt.typ)
		}
		return p.Interface().(T), nil
	}
	// Zeroed per row so that nothing of the previous row (a map a JSON column was decoded
	// into, a NULL a driver leaves unset) leaks into this one.
	sc.v = zero
	if err := sc.rows.Scan(sc.dest...); err != nil {
		return zero, scanError(err, sc.cols, sc.plan, sc.rt.typ)
	}
	return sc.v, nil
}

// resultColumns returns the result's columns. A result without columns is either a statement
// that failed when it ran (PostgreSQL reports an execution error at the first row, not at
// Query) or one that returns no rows at all, such as an INSERT without RETURNING.
func resultColumns(rows Rows) ([]string, error) {
	if cols := rows.Columns(); len(cols) > 0 {
		return cols, nil
	}
	rows.Next()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return nil, errors.New("conn: the statement returned no columns: fetch with a SELECT, or a statement with RETURNING; run others with Exec")
}

// scanError names the column a conversion failed on, and its field.
func scanError(err error, cols []string, plan *scanPlan, t reflect.Type) error {
	i := failedColumn(err)
	if i < 0 || i >= len(cols) {
		return fmt.Errorf("conn: scanning into %s: %w", t, err)
	}
	se := &ScanError{Column: cols[i], Type: t.String(), Err: err}
	if plan != nil {
		se.Field, se.Type = plan.names[i], plan.types[i].String()
	}
	return se
}

// failedColumn finds the index of the column a driver's scan error is about, or -1.
func failedColumn(err error) int {
	var pgErr pgx.ScanArgError
	if errors.As(err, &pgErr) {
		return pgErr.ColumnIndex
	}
	// database/sql: "sql: Scan error on column index 2, name \"email\": ..."
	var i int
	if _, e := fmt.Sscanf(err.Error(), "sql: Scan error on column index %d", &i); e == nil {
		return i
	}
	return -1
}
