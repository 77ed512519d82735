package schema

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// planner holds what diffTable needs to know beyond the dialect.
type planner struct {
	d dialect.Dialect
	// exactDefaults compares defaults by their text, where both sides come from the catalog
	// (Alter); otherwise by sameDefault.
	exactDefaults bool
	// sqliteDropColumn reports that the linked SQLite has ALTER TABLE DROP COLUMN (3.35).
	sqliteDropColumn bool
}

// newPlanner reads what the engine's version decides.
func newPlanner(ctx context.Context, db *conn.DB) (planner, error) {
	p := planner{d: db.Dialect()}
	if rebuilds(p.d) {
		v, err := conn.Scalar[string](ctx, db, conn.SQL("SELECT sqlite_version()"))
		if err != nil {
			return p, fmt.Errorf("schema: reading the SQLite version: %w", err)
		}
		p.sqliteDropColumn = versionAtLeast(v, 3, 35)
	}
	return p, nil
}

// versionAtLeast reports whether a dotted version ("3.46.1") is at least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && (ma > major || ma == major && mi >= minor)
}

// cannotAddColumn says why the engine's ADD COLUMN cannot add w to t ("" when it can). Only
// SQLite, which rebuilds instead, has limits here: no key, no NOT NULL without a default, no
// default that is not a constant.
func (p planner) cannotAddColumn(t *Table, w *Column) string {
	if !rebuilds(p.d) {
		return ""
	}
	switch {
	case w.Identity || slices.Contains(t.PrimaryKey, w.Name):
		return "SQLite's ADD COLUMN cannot add a primary key column: the table is rebuilt"
	case !w.Nullable && w.Default == "":
		return "SQLite's ADD COLUMN cannot add a NOT NULL column without a default: the table is rebuilt"
	case w.Default != "" && !constantDefault(w.Default):
		return "SQLite's ADD COLUMN cannot add a column whose default is not a constant: the table is rebuilt"
	}
	return ""
}

// cannotDropColumn says why the engine's DROP COLUMN cannot drop the column name of t ("" when
// it can): on SQLite before 3.35 there is none, and SQLite's refuses a column in a key, an
// index, a foreign key or a check.
func (p planner) cannotDropColumn(t *Table, name string) string {
	if !rebuilds(p.d) {
		return ""
	}
	if !p.sqliteDropColumn {
		return "the linked SQLite has no ALTER TABLE DROP COLUMN (3.35): the table is rebuilt"
	}
	used := slices.Contains(t.PrimaryKey, name) ||
		slices.ContainsFunc(t.Uniques, func(u Unique) bool { return slices.Contains(u.Columns, name) }) ||
		slices.ContainsFunc(t.ForeignKeys, func(f ForeignKey) bool { return slices.Contains(f.Columns, name) }) ||
		slices.ContainsFunc(t.Checks, func(c CheckConstraint) bool { return mentions(c.Expr, name) })
	if used {
		return "SQLite's DROP COLUMN cannot drop a column of a key, a foreign key or a check: the table is rebuilt"
	}
	return ""
}

// constantDefault reports a default SQLite's ADD COLUMN accepts: a number, a string or blob
// literal, NULL, TRUE or FALSE, optionally signed or in parentheses.
func constantDefault(s string) bool {
	s = strings.TrimSpace(s)
	for len(s) > 1 && s[0] == '(' && s[len(s)-1] == ')' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	s = strings.TrimLeft(s, "+-")
	switch strings.ToUpper(s) {
	case "NULL", "TRUE", "FALSE":
		return true
	}
	if strings.HasPrefix(s, "'") || strings.HasPrefix(strings.ToUpper(s), "X'") {
		return strings.HasSuffix(s, "'")
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
