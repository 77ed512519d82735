package builder

import (
	"errors"
	"strconv"

	"github.com/typedsql/typedsql/expr"
)

// ValueRows are an INSERT's VALUES rows as plain values, for loading them without SQL text:
// PostgreSQL's COPY (conn/postgres.CopyFrom). Make them with InsertStmt.ValueRows.
type ValueRows struct {
	// Schema ("" for none) and Table name the target table, unquoted.
	Schema, Table string
	// Columns are the assigned columns, in the order of each row's values.
	Columns []string

	rows  []expr.Assignment
	width int
}

// ValueRows checks that the statement is plain rows of values into a table, which is all
// that COPY can load, and returns them. Anything only SQL text can say is an error naming
// it: an INSERT ... SELECT or DEFAULT VALUES, an upsert, Ignore, RETURNING, WITH, and rows that
// assign different columns. A value only SQL can compute (SetExpr, SetDefault) is an error of
// ValueRows.Row.
func (s *InsertStmt) ValueRows() (*ValueRows, error) {
	var x insertExt
	if s != nil && s.x != nil {
		x = *s.x
	}
	fail := func(reason string) (*ValueRows, error) {
		return nil, errors.New("typedsql: rows to copy: " + reason)
	}
	switch {
	case s == nil:
		return fail("nil *InsertStmt")
	case x.err != "":
		return fail(x.err)
	case s.into == nil:
		return fail("INSERT without a table")
	case x.query != nil || s.defaults:
		return fail("only VALUES rows can be copied, not INSERT ... SELECT or DEFAULT VALUES")
	case s.nrows == 0 || s.width == 0:
		return fail("no VALUES rows")
	case x.conflict.declared || x.conflict.action != noAction || s.ignore:
		return fail("an upsert or Ignore cannot be copied: COPY has no ON CONFLICT (insert into a staging table, then upsert from it)")
	case len(s.returningList().cols) > 0:
		return fail("COPY has no RETURNING")
	case len(x.with.ctes) > 0:
		return fail("COPY has no WITH")
	}
	schema, table := expr.SchemaAndName(s.into)
	if table == "" {
		return fail("the target " + targetName(s.into) + " is not a table")
	}
	rows, width := s.values(), int(s.width)
	if len(rows) != int(s.nrows)*width {
		return fail("VALUES rows of different lengths")
	}
	first := rows[:width]
	cols := make([]string, width)
	for i, a := range first {
		if !plumb.BelongsTo(a, s.into) {
			return fail("column " + quoteName(a.QualifiedName()) + " is not a column of the target " + targetName(s.into))
		}
		for _, b := range first[:i] {
			if plumb.SameColumn(a, b) {
				return fail("column " + quoteName(a.ColumnName()) + " assigned twice")
			}
		}
		cols[i] = a.ColumnName()
	}
	for r := 1; r < int(s.nrows); r++ {
		for i, a := range rows[r*width : (r+1)*width] {
			if !plumb.SameColumn(a, first[i]) {
				return fail("VALUES row " + strconv.Itoa(r+1) + " assigns column " + quoteName(a.ColumnName()) +
					" where row 1 assigns " + quoteName(first[i].ColumnName()))
			}
		}
	}
	return &ValueRows{Schema: schema, Table: table, Columns: cols, rows: rows, width: width}, nil
}

// Len is the number of rows.
func (v *ValueRows) Len() int { return len(v.rows) / v.width }

// Row writes the values of row i (from 0) into dst, which has len(Columns) elements: each
// Set value as it was given, nil for SetNull. A value that only SQL can compute (SetExpr,
// SetDefault) is an error naming its row and column.
func (v *ValueRows) Row(i int, dst []any) error {
	for c, a := range v.rows[i*v.width : (i+1)*v.width] {
		val, ok := a.Value()
		if !ok {
			return errors.New("typedsql: rows to copy: row " + strconv.Itoa(i+1) + " column " + quoteName(a.ColumnName()) +
				": only values can be copied, not an expression or DEFAULT (leave a defaulted column out of every row)")
		}
		dst[c] = val
	}
	return nil
}
