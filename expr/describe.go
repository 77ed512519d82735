package expr

import (
	"fmt"
	"reflect"
)

// This file is what package schema reads from a descriptor to write CREATE TABLE for it and to
// check it against a live database.

// TableSchema is the schema given with InSchema, or "" (the connection's default schema).
func (t Table) TableSchema() string {
	if t.t == nil {
		return ""
	}
	return t.t.schema
}

// TableErr is why the descriptor cannot be used (unbound, empty name, a column declared
// twice), matching ErrInvalid; nil for a usable one. Statements on it fail to build with the
// same reason.
func (t Table) TableErr() error {
	switch {
	case t.t == nil:
		return fmt.Errorf("%w: table descriptor not bound: create it with expr.NewTable", ErrInvalid)
	case t.t.err != "":
		return fmt.Errorf("%w: %s", ErrInvalid, t.t.err)
	}
	return nil
}

// GoType is T, the Go type of the column's values.
func (Column[T]) GoType() reflect.Type { return reflect.TypeFor[T]() }

// GoType is T, the Go type of the column's non-NULL values.
func (Nullable[T]) GoType() reflect.Type { return reflect.TypeFor[T]() }

// IsNullable reports whether the column may hold NULL: false for Column.
func (Column[T]) IsNullable() bool { return false }

// IsNullable reports whether the column may hold NULL: true for Nullable.
func (Nullable[T]) IsNullable() bool { return true }
