package conn

import "reflect"

// Scanning a join into nested structs, and JSON documents on every engine.
//
// A struct field tagged db:"user" takes the columns "user.id", "user.name", ... into its own
// fields (sqlc's embed, jet's "table.column" result mapping). Held by value, its fields are
// just more fields of the row, at an offset. Held by a pointer (a LEFT JOIN's optional side),
// it is a group: its columns are scanned into cells that can hold NULL, and the struct is
// allocated and filled only when one of them is not NULL, so that a row with no match leaves
// the pointer nil.
//
// database/sql's drivers (MySQL/MariaDB, SQLite) hand over a JSON document as bytes or text,
// which database/sql cannot put into a map, a slice or a struct; on those engines a field of
// such a type is scanned through a jsonDest, which decodes it. pgx decodes json and jsonb
// itself, so on PostgreSQL the field is the driver's destination as usual.

// ptrGroup is a nested struct that a pointer field holds.
type ptrGroup struct {
	parent int          // the group the pointer field lies in, -1 for the row's own struct
	offset uintptr      // the pointer field's offset in its parent's struct
	typ    reflect.Type // the struct pointed to
	path   string       // the pointer field's Go path, for messages
}

// nestedPlan is the part of a scan plan that plain field pointers cannot carry out.
type nestedPlan struct {
	groups   []ptrGroup
	colGroup []int  // per column: its group, -1 outside any
	json     []bool // per column: its field takes a JSON document (see isJSONKind)
	anyGroup bool
	anyJSON  bool
}

// needed reports whether a scanner needs a nestedDest for this plan: for groups on any
// driver, for JSON fields on one that hands JSON over as text (native: pgx decodes it).
func (np *nestedPlan) needed(native bool) bool {
	return np != nil && (np.anyGroup || np.anyJSON && !native)
}

// newNestedPlan returns the nested part of a plan whose columns go to fields, or nil when
// every column goes straight into a field that any driver scans into.
func newNestedPlan(ix *fieldIndex, fields []*field) *nestedPlan {
	np := &nestedPlan{groups: ix.groups, colGroup: make([]int, len(fields)), json: make([]bool, len(fields))}
	needed := false
	for i, f := range fields {
		np.colGroup[i], np.json[i] = f.group, isJSONKind(f.typ)
		np.anyGroup = np.anyGroup || f.group >= 0
		np.anyJSON = np.anyJSON || np.json[i]
		needed = needed || np.json[i] || f.group >= 0
	}
	if !needed {
		return nil
	}
	return np
}

// nestedDest is a scanner's destinations for a plan with a nestedPlan: the JSON decoders of
// its columns and the cells of its groups' columns, made once per result shape.
type nestedDest struct {
	np      *nestedPlan
	decode  bool       // the driver hands JSON over as bytes or text (database/sql)
	jsons   []jsonDest // by column; used where decode and np.json
	cells   []cell
	present []bool          // by group, per row: some column of the group (or of one inside it) is not NULL
	ptrs    []reflect.Value // by group, per row: the struct allocated for it (a pointer)
}

// cell holds one column of a group until the row is scanned.
type cell struct {
	col    int
	group  int
	offset uintptr      // the field's offset in the group's struct
	typ    reflect.Type // the field's type
	store  reflect.Value
	json   *jsonDest // non-nil: the column is decoded into store (a *typ)
	// nullZero: a NULL leaves the field its zero value, as the driver would (sql.NullString,
	// a map, a byte slice), rather than being an error (a string).
	nullZero bool
}

// newNestedDest makes the destinations for plan p, filling dest for the cells; bind fills the
// rest for each row's struct.
func newNestedDest(p *scanPlan, decode bool, dest []any) *nestedDest {
	np := p.nested
	nd := &nestedDest{np: np, decode: decode, jsons: make([]jsonDest, len(p.cols))}
	if np.anyGroup {
		nd.present = make([]bool, len(np.groups))
		nd.ptrs = make([]reflect.Value, len(np.groups))
	}
	for i, g := range np.colGroup {
		if g < 0 {
			continue
		}
		c := cell{col: i, group: g, offset: p.offsets[i], typ: p.types[i]}
		switch c.typ.Kind() {
		case reflect.Map, reflect.Slice, reflect.Interface:
			c.nullZero = true
		default:
			c.nullZero = reflect.PointerTo(c.typ).Implements(scannerType)
		}
		switch {
		case decode && np.json[i]:
			c.store = reflect.New(c.typ)
			c.json = &jsonDest{typ: c.typ, ptr: c.store}
			dest[i] = c.json
		case c.typ.Kind() == reflect.Pointer: // *string: the driver sets it nil for NULL
			c.store = reflect.New(c.typ)
			dest[i] = c.store.Interface()
		default: // string: scanned through a *string, which can be nil
			c.store = reflect.New(reflect.PointerTo(c.typ))
			dest[i] = c.store.Interface()
		}
		nd.cells = append(nd.cells, c)
	}
	return nd
}

// bind replaces, in dest as scanPlan.dest filled it for the row's struct, the destinations of
// the columns that go into cells (bound once, in newNestedDest) and of the JSON fields a
// database/sql driver hands over as text.
func (nd *nestedDest) bind(p *scanPlan, dest []any) {
	for i := range nd.cells {
		if c := &nd.cells[i]; c.json != nil {
			dest[c.col] = c.json
		} else {
			dest[c.col] = c.store.Interface()
		}
	}
	if !nd.decode {
		return
	}
	for i, isJSON := range nd.np.json {
		if isJSON && nd.np.colGroup[i] < 0 {
			jd := &nd.jsons[i]
			jd.typ, jd.ptr = p.types[i], reflect.ValueOf(dest[i])
			dest[i] = jd
		}
	}
}

// clear empties the cells before a row is scanned, so that a driver that fills a pointer in
// place (pgx) allocates a new value rather than writing into the last row's.
func (nd *nestedDest) clear() {
	for i := range nd.cells {
		if c := &nd.cells[i]; c.json == nil {
			c.store.Elem().SetZero()
		}
	}
}

// drop lets go of the last row's values, when the scanner goes back to its pool.
func (nd *nestedDest) drop() {
	for i := range nd.cells {
		nd.cells[i].store.Elem().SetZero()
	}
}

// fill allocates, in the row struct row points to, the struct of every group that has a column (or a group inside it) that is
// not NULL, sets the pointer field to it, and copies the cells in. A NULL for a field that
// cannot hold one (a string) in a struct that is there is an error, as it is outside groups:
// it returns the column's index, or -1.
func (nd *nestedDest) fill(row reflect.Value) int {
	if !nd.np.anyGroup {
		return -1
	}
	clear(nd.present)
	for i := range nd.cells {
		if c := &nd.cells[i]; !c.null() {
			nd.present[c.group] = true
		}
	}
	groups := nd.np.groups
	for g := len(groups) - 1; g >= 0; g-- { // a group comes after its parent
		if nd.present[g] && groups[g].parent >= 0 {
			nd.present[groups[g].parent] = true
		}
	}
	for g, gr := range groups {
		nd.ptrs[g] = reflect.Value{}
		if !nd.present[g] {
			continue
		}
		parent := row
		if gr.parent >= 0 {
			parent = nd.ptrs[gr.parent]
		}
		s := reflect.New(gr.typ)
		fieldAt(parent.UnsafePointer(), gr.offset, s.Type()).Elem().Set(s)
		nd.ptrs[g] = s
	}
	for i := range nd.cells {
		c := &nd.cells[i]
		if !nd.present[c.group] {
			continue
		}
		dst := fieldAt(nd.ptrs[c.group].UnsafePointer(), c.offset, c.typ).Elem()
		switch v := c.store.Elem(); {
		case c.json != nil || c.typ.Kind() == reflect.Pointer:
			dst.Set(v)
		case v.IsNil():
			if !c.nullZero {
				return c.col
			}
		default:
			dst.Set(v.Elem())
		}
	}
	return -1
}

// null reports whether the cell's column was NULL in the row just scanned.
func (c *cell) null() bool {
	if c.json != nil {
		return c.json.null
	}
	return c.store.Elem().IsNil()
}
