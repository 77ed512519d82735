package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/internal/engine"
)

// CopyFrom loads the rows of an INSERT ... VALUES with PostgreSQL's COPY FROM STDIN in
// binary (pgx's CopyFrom), several times faster than INSERT statements for many rows, and
// returns how many rows it loaded. The rows are the typed ones builder.InsertInto(t).Values
// makes, so a value of the wrong type for its column does not compile:
//
//	rows := builder.InsertInto(Products).Grow(len(products))
//	for _, p := range products {
//		rows.Values(Products.SKU.Set(p.SKU), Products.Name.Set(p.Name), Products.Price.Set(p.Price))
//	}
//	n, err := postgres.CopyFrom(ctx, db, rows)
//	// COPY "products" ("sku", "name", "price") FROM STDIN BINARY
//
// It runs where a statement on the table made with ctx would: on the connection of the
// block ctx is in (an Atomic block, WithConn, the HTTP middleware), inside its transaction,
// or else on a connection of the pool, as one statement that loads every row or none. Any
// number of rows is one COPY: there is no argument limit.
//
// COPY takes values only: an expression or DEFAULT (SetExpr, SetDefault) is an error, as are
// the parts of an INSERT COPY has no counterpart for (an upsert, Ignore, RETURNING, WITH,
// INSERT ... SELECT); load into a staging table and upsert from it instead. The database must
// be PostgreSQL (a DB opened from a postgres:// URL or FromPool); on MySQL/MariaDB and SQLite,
// DB.InsertBatched loads the same rows with INSERT statements.
//
// The statement holds every row until the COPY ends; Grow sizes it for them up front. Rows
// that come from a slice or an iterator need no statement at all: CopyFromSeq streams them.
func CopyFrom(ctx context.Context, db *conn.DB, rows *builder.InsertStmt) (int64, error) {
	if db == nil {
		return 0, errors.New("postgres: CopyFrom: nil DB")
	}
	vr, err := rows.ValueRows()
	if err != nil {
		return 0, err
	}
	table := pgx.Identifier{vr.Table}
	if vr.Schema != "" {
		table = pgx.Identifier{vr.Schema, vr.Table}
	}
	var text strings.Builder
	text.WriteString("COPY ")
	text.WriteString(table.Sanitize())
	text.WriteString(" (")
	for i, c := range vr.Columns {
		if i > 0 {
			text.WriteString(", ")
		}
		text.WriteString(pgx.Identifier{c}.Sanitize())
	}
	text.WriteString(") FROM STDIN BINARY")
	return engine.UseDriverConn(ctx, db, text.String(), rows.Tables(), func(ctx context.Context, dc any) (int64, error) {
		c, ok := dc.(*pgx.Conn)
		if !ok {
			return 0, errors.New("postgres: CopyFrom: the database is not PostgreSQL (on MySQL/MariaDB and SQLite use DB.InsertBatched)")
		}
		return c.CopyFrom(ctx, table, vr.Columns, &copySource{rows: vr, vals: make([]any, len(vr.Columns))})
	})
}

// copySource feeds the rows to pgx one at a time, into one reused slice.
type copySource struct {
	rows *builder.ValueRows
	next int
	vals []any
	err  error
}

func (s *copySource) Next() bool {
	if s.err != nil || s.next >= s.rows.Len() {
		return false
	}
	s.err = s.rows.Row(s.next, s.vals)
	s.next++
	return s.err == nil
}

func (s *copySource) Values() ([]any, error) { return s.vals, nil }

func (s *copySource) Err() error { return s.err }
