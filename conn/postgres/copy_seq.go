package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/engine"
)

// CopyFromSeq loads rows with COPY FROM STDIN as CopyFrom does, taking them one at a time
// from rows (a slice through slices.Values, a query's results, a file being read) rather
// than from a statement holding them all: row turns each into its typed assignments, which
// go to pgx as they come and are not kept. The assignments are the typed ones of
// builder.InsertInto(table).Values, so a value of the wrong type for its column does not
// compile:
//
//	n, err := postgres.CopyFromSeq(ctx, db, Products, slices.Values(products),
//		func(row []expr.Assignment, p Product) []expr.Assignment {
//			return append(row, Products.SKU.Set(p.SKU), Products.Name.Set(p.Name), Products.Price.Set(p.Price))
//		})
//	// COPY "products" ("sku", "name", "price") FROM STDIN BINARY
//
// row appends the assignments of r to the row it is given and returns it, as append does:
// the same storage serves every row, so that converting a row allocates nothing of its own.
// Every row must assign the same columns of table in the same order (the first row's);
// values only (Set, SetNull), since COPY has no expressions or DEFAULT: leave a defaulted
// column out of every row. A row that breaks this is an error naming it, and nothing is
// loaded. With no rows it loads nothing and sends nothing.
//
// It runs where CopyFrom runs (the block's connection and transaction in ctx, or a pooled
// connection), as one statement that loads every row or none. After the first row, rows and
// row are called from a goroutine of pgx's while the COPY streams: a statement they run in
// ctx's block fails as the connection being busy, since the COPY holds it until it ends (use
// the DB outside the block, or read what the rows need before); a panic in them is raised
// again in the caller of CopyFromSeq once the COPY has been abandoned.
//
// For 100,000 rows of 4 columns from a slice of structs it allocates 20 MB an op, where
// CopyFrom of a statement sized with Grow allocates 23 MB and pgx's own CopyFrom of a
// [][]any 22.6 MB, in about the same time (bench's BulkInsert, BENCHMARKS.md).
func CopyFromSeq[R any](ctx context.Context, db *conn.DB, table expr.Target, rows iter.Seq[R],
	row func(dst []expr.Assignment, r R) []expr.Assignment) (int64, error) {
	switch {
	case db == nil:
		return 0, errors.New("postgres: CopyFromSeq: nil DB")
	case table == nil:
		return 0, errors.New("postgres: CopyFromSeq: nil table")
	case rows == nil || row == nil:
		return 0, errors.New("postgres: CopyFromSeq: nil rows or row function")
	}
	schema, name := expr.SchemaAndName(table)
	if name == "" {
		return 0, fmt.Errorf("postgres: CopyFromSeq: the target %q is not a table", table.TableName())
	}
	next, stop := iter.Pull(rows)
	defer stop()
	src := &seqSource[R]{next: next, row: row, table: table}
	// The first row names the columns, which the COPY statement lists: take it before.
	r, ok := next()
	if !ok {
		return 0, nil
	}
	src.first = row(nil, r)
	cols, err := src.columns()
	if err != nil {
		return 0, err
	}
	src.vals = make([]any, len(cols))
	if err := src.values(src.first); err != nil {
		return 0, err
	}
	src.pending = true
	ident := pgx.Identifier{name}
	if schema != "" {
		ident = pgx.Identifier{schema, name}
	}
	var text strings.Builder
	text.WriteString("COPY ")
	text.WriteString(ident.Sanitize())
	text.WriteString(" (")
	for i, c := range cols {
		if i > 0 {
			text.WriteString(", ")
		}
		text.WriteString(pgx.Identifier{c}.Sanitize())
	}
	text.WriteString(") FROM STDIN BINARY")
	n, err := engine.UseDriverConn(ctx, db, text.String(), []string{table.TableName()}, func(ctx context.Context, dc any) (int64, error) {
		c, ok := dc.(*pgx.Conn)
		if !ok {
			return 0, errors.New("postgres: CopyFromSeq: the database is not PostgreSQL (on MySQL/MariaDB and SQLite use DB.InsertBatched)")
		}
		return c.CopyFrom(ctx, ident, cols, src)
	})
	if src.panicked {
		panic(src.panicVal)
	}
	return n, err
}

// seqSource is pgx's CopyFromSource over the pulled rows: the first row, taken before the
// COPY began, then each next one, converted into one reused slice of values.
type seqSource[R any] struct {
	next    func() (R, bool)
	row     func([]expr.Assignment, R) []expr.Assignment
	table   expr.Target
	first   []expr.Assignment // row 1's assignments: the columns every row must assign
	buf     []expr.Assignment // the storage row appends into, reused
	vals    []any
	pending bool // vals holds row 1, not yet given to pgx
	n       int  // rows given to pgx
	err     error

	panicked bool
	panicVal any
}

// columns checks row 1's assignments and returns the column names.
func (s *seqSource[R]) columns() ([]string, error) {
	if len(s.first) == 0 {
		return nil, errors.New("postgres: CopyFromSeq: row 1 assigns no columns")
	}
	cols := make([]string, len(s.first))
	for i, a := range s.first {
		if !expr.Plumbing.BelongsTo(a, s.table) {
			return nil, fmt.Errorf("postgres: CopyFromSeq: row 1 assigns %q, not a column of the target %q", a.QualifiedName(), s.table.TableName())
		}
		for _, b := range s.first[:i] {
			if expr.Plumbing.SameColumn(a, b) {
				return nil, fmt.Errorf("postgres: CopyFromSeq: row 1 assigns column %q twice", a.ColumnName())
			}
		}
		cols[i] = a.ColumnName()
	}
	return cols, nil
}

// values writes a row's values into s.vals, checking that it assigns row 1's columns.
func (s *seqSource[R]) values(as []expr.Assignment) error {
	rowNum := s.n + 1
	if len(as) != len(s.first) {
		return errors.New("postgres: CopyFromSeq: row " + strconv.Itoa(rowNum) + " assigns " + strconv.Itoa(len(as)) +
			" columns, row 1 assigns " + strconv.Itoa(len(s.first)))
	}
	for i, a := range as {
		if !expr.Plumbing.SameColumn(a, s.first[i]) {
			return fmt.Errorf("postgres: CopyFromSeq: row %d assigns column %q where row 1 assigns %q", rowNum, a.ColumnName(), s.first[i].ColumnName())
		}
		v, ok := a.Value()
		if !ok {
			return fmt.Errorf("postgres: CopyFromSeq: row %d column %q: only values can be copied, not an expression or DEFAULT (leave a defaulted column out of every row)", rowNum, a.ColumnName())
		}
		s.vals[i] = v
	}
	return nil
}

func (s *seqSource[R]) Next() (more bool) {
	if s.err != nil {
		return false
	}
	if s.pending {
		s.pending = false
		s.n++
		return true
	}
	defer func() {
		// A panic in the caller's rows or row: pgx's goroutine must not die of it. The COPY
		// is abandoned, and CopyFromSeq raises it again in the caller's goroutine.
		if p := recover(); p != nil {
			s.panicked, s.panicVal = true, p
			s.err, more = errors.New("postgres: CopyFromSeq: the rows panicked"), false
		}
	}()
	r, ok := s.next()
	if !ok {
		return false
	}
	s.buf = s.row(s.buf[:0], r)
	if s.err = s.values(s.buf); s.err != nil {
		return false
	}
	s.n++
	return true
}

func (s *seqSource[R]) Values() ([]any, error) { return s.vals, nil }

func (s *seqSource[R]) Err() error { return s.err }
