package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// tour runs statements on db and prints each one before it runs, in the builder's debug form
// (values written inline, for reading only: what runs binds them as parameters).
type tour struct {
	w  io.Writer
	db *conn.DB
}

// debugStatement is what every builder statement is: it can show itself with values inline.
type debugStatement interface {
	conn.Statement
	DebugSQL(d dialect.Dialect) string
}

func (t *tour) step(title string) { fmt.Fprintf(t.w, "\n== %s\n", title) }

// show prints the SQL of stmt as the database's dialect renders it.
func (t *tour) show(stmt conn.Statement) {
	var sql string
	switch s := stmt.(type) {
	case debugStatement:
		sql = s.DebugSQL(t.db.Dialect())
	case conn.SQL:
		// The DDL, on one line.
		sql = strings.ReplaceAll(strings.Join(strings.Fields(string(s)), " "), "( ", "(")
	}
	fmt.Fprintf(t.w, "sql> %s\n", sql)
}

// exec shows and runs a statement that returns no rows, and prints how many rows it changed.
func (t *tour) exec(ctx context.Context, stmt conn.Statement) error {
	t.show(stmt)
	res, err := t.db.Exec(ctx, stmt)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "     %d row(s) affected\n", res.RowsAffected)
	return nil
}

// printf writes a result line, indented under the SQL that produced it.
func (t *tour) printf(format string, args ...any) {
	fmt.Fprintf(t.w, "     "+format+"\n", args...)
}

// deref shows a nullable string.
func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}

// all shows stmt and fetches every row as a T.
func all[T any](ctx context.Context, t *tour, stmt conn.Statement) ([]T, error) {
	t.show(stmt)
	return conn.All[T](ctx, t.db, stmt)
}

// scalar shows stmt and fetches its one value.
func scalar[T any](ctx context.Context, t *tour, stmt conn.Statement) (T, error) {
	t.show(stmt)
	return conn.Scalar[T](ctx, t.db, stmt)
}
