package conn

import (
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// How a fetch function puts one row into a T.
type rowKind uint8

const (
	rowScalar    rowKind = iota // T takes one column: int64, string, time.Time, *string, sql.NullInt64, ...
	rowStruct                   // T is a struct whose fields take the columns
	rowStructPtr                // T is a pointer to such a struct, allocated per row
)

// rowType is what conn knows about a T, computed once per type.
type rowType struct {
	kind   rowKind
	typ    reflect.Type // T
	strct  reflect.Type // the struct, for rowStruct and rowStructPtr
	fields *fieldIndex  // by column name, for structs
	err    error        // the struct cannot be scanned into (reported when it is used)
	last   atomic.Pointer[scanPlan]
	plans  sync.Map // column list joined by "\x00" -> *scanPlan
	// scanners holds idle *rowScanner[T] of this type, so that a fetch does not allocate one.
	scanners sync.Pool
}

// scanPlan places each column of one result shape into the struct: a field's offset from the
// struct's start and its type. It is computed once per (type, column list) and cached.
type scanPlan struct {
	cols    []string
	offsets []uintptr
	types   []reflect.Type
	names   []string // Go field paths ("User.Base.ID"), for errors
	// nested is set when a column goes into a struct a pointer field holds (db:"user" on a
	// *User field, column "user.id"), or into a field that takes a JSON document: the
	// scanner then binds its destinations through a nestedPlan rather than dest alone.
	nested *nestedPlan
	// unfilled lists the struct's fields no column fills, for the debug report (reportUnfilled).
	unfilled []string
	reported atomic.Bool
}

var rowTypes sync.Map // reflect.Type -> *rowType

// rowTypeOf returns the cached description of T.
func rowTypeOf(t reflect.Type) *rowType {
	if rt, ok := rowTypes.Load(t); ok {
		return rt.(*rowType)
	}
	rt := &rowType{typ: t, kind: rowScalar}
	switch {
	case isRowStruct(t):
		rt.kind, rt.strct = rowStruct, t
	case t.Kind() == reflect.Pointer && isRowStruct(t.Elem()):
		rt.kind, rt.strct = rowStructPtr, t.Elem()
	}
	if rt.strct != nil {
		rt.fields, rt.err = indexFields(rt.strct)
	}
	actual, _ := rowTypes.LoadOrStore(t, rt)
	return actual.(*rowType)
}

var (
	scannerType = reflect.TypeFor[sql.Scanner]()
	timeType    = reflect.TypeFor[time.Time]()
)

// isRowStruct reports whether t is a struct to map columns onto, rather than a value that
// scans whole from one column (time.Time, sql.NullString, pgtype.Numeric: any sql.Scanner).
func isRowStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != timeType && !reflect.PointerTo(t).Implements(scannerType)
}

// plan returns the scan plan for cols, from the cache when this column list was seen before.
func (rt *rowType) plan(cols []string) (*scanPlan, error) {
	if rt.err != nil {
		return nil, rt.err
	}
	if p := rt.last.Load(); p != nil && slices.Equal(p.cols, cols) {
		return p, nil
	}
	key := strings.Join(cols, "\x00")
	if p, ok := rt.plans.Load(key); ok {
		rt.last.Store(p.(*scanPlan))
		return p.(*scanPlan), nil
	}
	p, err := rt.fields.plan(rt.strct, cols)
	if err != nil {
		return nil, err // not cached: the error is cheap to make again and the type may be fixed
	}
	rt.plans.Store(key, p)
	rt.last.Store(p)
	return p, nil
}

// field is one place a column can go.
type field struct {
	offset    uintptr // from the start of the struct of its group
	typ       reflect.Type
	path      string // "User.Base.ID"
	depth     int
	ambiguous bool // two fields of the same name at the same embedding depth
	// group is the pointer-held nested struct the field lies in (an index of
	// fieldIndex.groups), or -1 for the row's own struct and the structs it holds by value.
	group int
	// head is the nested struct field (db:"user") the field lies directly in, nil at the top.
	head *field
	// nests: the field is itself a nested struct whose fields take prefixed columns.
	nests bool
}

// fieldIndex finds a struct's field for a column name: the db tag exactly, then the tag
// ignoring case, then an untagged field's name ignoring case and underscores (CreatedAt
// takes created_at).
type fieldIndex struct {
	tagged   map[string]*field
	folded   map[string]*field
	untagged map[string]*field
	// groups are the structs that pointer fields tagged db:"prefix" hold, in walk order (a
	// group's parent comes before it).
	groups []ptrGroup
	// all is every field that can take a column, in walk order, for the unfilled report.
	all []*field
}

func (ix *fieldIndex) lookup(col string) *field {
	if f := ix.tagged[col]; f != nil {
		return f
	}
	if f := ix.folded[strings.ToLower(col)]; f != nil {
		return f
	}
	return ix.untagged[normalizeName(col)]
}

func normalizeName(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }

// indexFields walks t and its embedded structs, by Go's rules: a shallower field hides a
// deeper one of the same name; two at the same depth are ambiguous. A struct field tagged
// db:"user" (or a pointer to one) takes the column "user" whole (a JSON document), and its
// own fields take the columns "user.id", "user.name", ... (a join scanned into nested structs).
func indexFields(t reflect.Type) (*fieldIndex, error) {
	ix := &fieldIndex{tagged: map[string]*field{}, folded: map[string]*field{}, untagged: map[string]*field{}}
	add := func(m map[string]*field, name string, f *field) {
		old := m[name]
		switch {
		case old == nil || f.depth < old.depth:
			m[name] = f
		case f.depth == old.depth:
			dup := *old
			dup.ambiguous = true
			dup.path = old.path + " and " + f.path
			m[name] = &dup
		}
	}
	// in counts the struct types being walked, so that a type holding a pointer to itself (an
	// employee's manager) nests one level deep rather than for ever.
	in := map[reflect.Type]int{t: 1}
	var walk func(t reflect.Type, base uintptr, prefix, path string, depth, group int, head *field) error
	walk = func(t reflect.Type, base uintptr, prefix, path string, depth, group int, head *field) error {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag, tagged := sf.Tag.Lookup("db")
			tag, _, _ = strings.Cut(tag, ",")
			if tag == "-" {
				continue
			}
			fpath := path + "." + sf.Name
			if sf.Anonymous && tag == "" {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer && isRowStruct(ft.Elem()) {
					return fmt.Errorf("conn: cannot scan into %s: embedded *%s is a pointer; embed %s by value so its fields can take columns", t, ft.Elem(), ft.Elem())
				}
				if isRowStruct(ft) {
					if err := walk(ft, base+sf.Offset, prefix, fpath, depth+1, group, head); err != nil {
						return err
					}
					continue
				}
			}
			if !sf.IsExported() {
				if tagged {
					return fmt.Errorf("conn: cannot scan into %s: field %s has a db tag but is unexported", t, sf.Name)
				}
				continue
			}
			f := &field{offset: base + sf.Offset, typ: sf.Type, path: fpath, depth: depth, group: group, head: head}
			ix.all = append(ix.all, f)
			if tag != "" {
				add(ix.tagged, prefix+tag, f)
				add(ix.folded, strings.ToLower(prefix+tag), f)
			} else {
				add(ix.untagged, normalizeName(prefix+sf.Name), f)
				continue
			}
			// A tagged struct, or pointer to one, also nests: its fields take prefixed columns.
			st, ptr := sf.Type, false
			if st.Kind() == reflect.Pointer {
				st, ptr = st.Elem(), true
			}
			if !isRowStruct(st) || in[st] >= 2 {
				continue
			}
			f.nests = true
			in[st]++
			var err error
			if ptr {
				ix.groups = append(ix.groups, ptrGroup{parent: group, offset: f.offset, typ: st, path: fpath})
				err = walk(st, 0, prefix+tag+".", fpath, depth+1, len(ix.groups)-1, f)
			} else {
				err = walk(st, f.offset, prefix+tag+".", fpath, depth+1, group, f)
			}
			in[st]--
			if err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(t, 0, "", t.Name(), 0, -1, nil); err != nil {
		return nil, err
	}
	return ix, nil
}

// plan maps cols onto the struct's fields. Every column must have a field: a column with
// nowhere to go is a mistake in the SELECT list or the struct, not something to drop.
func (ix *fieldIndex) plan(t reflect.Type, cols []string) (*scanPlan, error) {
	p := &scanPlan{
		cols:    append([]string(nil), cols...),
		offsets: make([]uintptr, len(cols)),
		types:   make([]reflect.Type, len(cols)),
		names:   make([]string, len(cols)),
	}
	taken := make(map[*field]string, len(cols))
	fields := make([]*field, len(cols))
	for i, c := range cols {
		f := ix.lookup(c)
		switch {
		case f == nil:
			return nil, &ScanError{Column: c, Err: fmt.Errorf("%w in %s (tag a field db:%q, or leave the column out of the SELECT)", ErrNoField, t, c)}
		case f.ambiguous:
			return nil, &ScanError{Column: c, Err: fmt.Errorf("%w in %s: %s are embedded at the same depth; tag one of them", ErrNoField, t, f.path)}
		case taken[f] != "":
			return nil, &ScanError{Column: c, Field: f.path, Type: f.typ.String(), Err: fmt.Errorf("%w: columns %q and %q both map to %s; alias one of them in the SELECT", ErrNoField, taken[f], c, f.path)}
		}
		taken[f] = c
		fields[i] = f
		p.offsets[i], p.types[i], p.names[i] = f.offset, f.typ, f.path
	}
	for i, f := range fields {
		for h := f.head; h != nil; h = h.head {
			if c := taken[h]; c != "" {
				return nil, &ScanError{Column: cols[i], Field: f.path, Type: f.typ.String(), Err: fmt.Errorf("%w: column %q fills %s whole, and column %q one of its fields; select one or the other", ErrNoField, c, h.path, cols[i])}
			}
		}
	}
	p.nested = newNestedPlan(ix, fields)
	p.unfilled = ix.unfilled(taken)
	return p, nil
}

// dest fills dest with pointers to the plan's fields in the struct at base.
func (p *scanPlan) dest(base unsafe.Pointer, dest []any) {
	for i, off := range p.offsets {
		dest[i] = fieldAt(base, off, p.types[i]).Interface()
	}
}

// fieldAt is a pointer to the field of type t at offset off in the struct at base: the one
// place the plan's offsets become pointers (dest here, the nested structs and JSON fields of
// fetch_nested.go through reflect.Values made by it).
//
// unsafe: against reflect's FieldByIndex then Addr, which needs none, a row's pointers cost
// 1161 instructions instead of 1493 for four columns with the row's allocation (111 ns
// against 125 ns; callgrind and -benchmem, BenchmarkFieldPointers). A fetch into pointers
// (conn.All[*T], a nested struct held by pointer) pays that on every row, about 2% of a
// row's time in BenchmarkFetch; a fetch into values once per query. Offsets also compose by
// addition through embedded and nested structs, where index paths would be concatenated.
func fieldAt(base unsafe.Pointer, off uintptr, t reflect.Type) reflect.Value {
	return reflect.NewAt(t, unsafe.Add(base, off))
}

// ScanError reports a column that could not be put into its Go destination: there is no
// field for it, or its value does not fit the field's type (a NULL into a string, text into
// an int). The driver's own message follows the column and the field, so its wording differs
// per engine; on SQLite (see the example):
//
//	conn: column "email" into User.Email (string): sql: Scan error on column index 1, name "email": converting NULL to string is unsupported
//	conn: column "id": no field for column in app.User (tag a field db:"id", or leave the column out of the SELECT)
type ScanError struct {
	Column string // the result column
	Field  string // the Go field ("User.Base.ID"); empty for a scalar destination
	Type   string // the Go type of the destination
	Err    error  // the driver's conversion error, or one wrapping ErrNoField
}

func (e *ScanError) Error() string {
	var b strings.Builder
	b.WriteString("conn: column ")
	b.WriteString(fmt.Sprintf("%q", e.Column))
	switch {
	case e.Field != "":
		b.WriteString(" into " + e.Field + " (" + e.Type + ")")
	case e.Type != "":
		b.WriteString(" into " + e.Type)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ScanError) Unwrap() error { return e.Err }
