package schema

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// ErrMismatch is matched by Check's error when descriptors and the database disagree.
var ErrMismatch = errors.New("schema: descriptors do not match the database")

// MismatchKind says what a Mismatch is about.
type MismatchKind uint8

// The kinds of Mismatch.
const (
	MissingTable   MismatchKind = iota + 1 // the table is not in the database
	MissingColumn                          // the column is not in the table
	TypeMismatch                           // the Go type cannot hold the column's values
	NullMismatch                           // expr.Column on a nullable column, or expr.Nullable on NOT NULL
	LengthMismatch                         // size=n differs from the column's length
)

var kindNames = [...]string{"", "missing table", "missing column", "type", "nullability", "length"}

func (k MismatchKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "MismatchKind(" + strconv.Itoa(int(k)) + ")"
}

// Mismatch is one difference between a descriptor and the live table.
type Mismatch struct {
	Kind   MismatchKind
	Table  string // the qualified table name
	Column string // "" for a missing table
	Detail string // what differs, in words
}

func (m Mismatch) String() string {
	s := "table " + strconv.Quote(m.Table)
	if m.Column != "" {
		s += ", column " + strconv.Quote(m.Column)
	}
	return s + ": " + m.Detail
}

// CheckError lists every Mismatch Check found. It matches ErrMismatch.
type CheckError struct {
	Mismatches []Mismatch
}

func (e *CheckError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema: %d difference", len(e.Mismatches))
	if len(e.Mismatches) != 1 {
		b.WriteByte('s')
	}
	b.WriteString(" between the descriptors and the database:")
	for _, m := range e.Mismatches {
		b.WriteString("\n\t")
		b.WriteString(m.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrMismatch) true.
func (e *CheckError) Is(target error) bool { return target == ErrMismatch }

// Check compares descriptors with the live database and returns every difference that would
// make a statement on them fail or read wrong values, as one *CheckError (matching
// ErrMismatch): a table or column that is not there, a Go type that cannot hold the column's
// type (a string field on an integer column, an int32 on a BIGINT), expr.Column on a column
// that may hold NULL or expr.Nullable on a NOT NULL one, and a size= that differs from the
// column's length. Columns the descriptor does not declare are not reported, nor types the
// check does not know (a PostgreSQL enum, a domain). The type Create makes for a Go type is
// always accepted for it: on SQLite, whose one integer type INTEGER holds 64 bits, that is
// any Go integer type.
//
//	err := schema.Check(ctx, db, Users, Orders)
//	// schema: 1 difference between the descriptors and the database:
//	//	table "jobs", column "staus": not in the table (did you mean "status"?)
//
// A descriptor that is itself invalid is an error matching ErrDescriptor; a database that
// cannot be read, the driver's error.
func Check(ctx context.Context, db *conn.DB, descriptors ...any) error {
	d := db.Dialect()
	tables, err := Describe(d, descriptors...)
	if err != nil {
		return err
	}
	var ms []Mismatch
	for i := range tables {
		want := &tables[i]
		live, err := Inspect(ctx, db, want.Schema, want.Name)
		if errors.Is(err, ErrNoTable) {
			ms = append(ms, Mismatch{Kind: MissingTable, Table: want.QualifiedName(), Detail: "not in the database"})
			continue
		}
		if err != nil {
			return err
		}
		ms = append(ms, compareColumns(d, want, &live)...)
	}
	if len(ms) > 0 {
		return &CheckError{Mismatches: ms}
	}
	return nil
}

// compareColumns lists how the live table fails the descriptor's columns.
func compareColumns(d dialect.Dialect, want, live *Table) []Mismatch {
	var ms []Mismatch
	add := func(k MismatchKind, col, format string, args ...any) {
		ms = append(ms, Mismatch{Kind: k, Table: want.QualifiedName(), Column: col, Detail: fmt.Sprintf(format, args...)})
	}
	for i := range want.Columns {
		w := &want.Columns[i]
		l, ok := live.Column(w.Name)
		if !ok {
			detail := "not in the table"
			if near := nearest(w.Name, live); near != "" {
				detail += " (did you mean " + strconv.Quote(near) + "?)"
			}
			add(MissingColumn, w.Name, "%s", detail)
			continue
		}
		if why := cannotHold(d, w, l.Type); why != "" {
			add(TypeMismatch, w.Name, "Go %s cannot hold %s: %s", w.GoType, l.Type, why)
		}
		switch {
		case l.Nullable && !w.Nullable:
			add(NullMismatch, w.Name, "the column may hold NULL but the descriptor declares expr.Column[%s]: declare expr.Nullable[%[1]s] or make the column NOT NULL", w.GoType)
		case !l.Nullable && w.Nullable && !l.Identity:
			add(NullMismatch, w.Name, "the column is NOT NULL but the descriptor declares expr.Nullable[%s]: declare expr.Column[%[1]s]", w.GoType)
		}
		if w.Length > 0 && l.Length != w.Length {
			have := "no length"
			if l.Length > 0 {
				have = "length " + strconv.Itoa(l.Length)
			}
			add(LengthMismatch, w.Name, "the descriptor declares size=%d, the column (%s) has %s", w.Length, l.Type, have)
		}
	}
	return ms
}

// cannotHold says why values of a column of type liveType do not fit the descriptor column's
// Go type, or "" when they do or when the type is one Check does not know.
func cannotHold(d dialect.Dialect, w *Column, liveType string) string {
	ddl := d.Caps().DDL
	lf := typeFamily(liveType)
	// The type Create makes for the Go type always holds it (an int32 in SQLite's INTEGER).
	if lf == famOther || w.GoType == nil || strings.EqualFold(liveType, w.Type) {
		return ""
	}
	gt := w.GoType
	if gt.Implements(typerType) || reflect.PointerTo(gt).Implements(typerType) {
		if df := typeFamily(w.Type); df != famOther && df != lf {
			return "the descriptor's type " + w.Type + " is " + df.String() + ", the column's " + lf.String()
		}
		return ""
	}
	accepts := func(fams ...family) string {
		for _, f := range fams {
			if f == lf {
				return ""
			}
		}
		return "the column holds " + lf.String() + " values"
	}
	switch {
	case gt == timeType:
		if ddl.TimeAsText {
			return accepts(famTime, famText)
		}
		return accepts(famTime)
	case gt == rawJSONType:
		return accepts(famJSON, famText, famBytes)
	case gt.Kind() == reflect.Slice && gt.Elem().Kind() == reflect.Uint8:
		return accepts(famBytes, famText, famJSON)
	}
	switch gt.Kind() {
	case reflect.String:
		if typeFamily(w.Type) == famJSON {
			return accepts(famJSON, famText)
		}
		return accepts(famText, famJSON)
	case reflect.Bool:
		return accepts(famBool, famInt)
	case reflect.Float32, reflect.Float64:
		return accepts(famFloat, famDecimal)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if why := accepts(famInt); why != "" {
			return why
		}
		if have, bits := intBits(liveType, ddl.IntegerBits), gt.Bits(); have > bits {
			return "the column holds " + strconv.Itoa(have) + "-bit integers"
		}
	}
	return ""
}

// nearest is the live column whose name is closest to name (at most two edits away), or "".
func nearest(name string, live *Table) string {
	best, bestD := "", 3
	for _, c := range live.Columns {
		if d := editDistance(name, c.Name); d < bestD {
			best, bestD = c.Name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b: the letters to insert, delete or
// replace to turn one into the other.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
