package postgres

import (
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/typedsql/typedsql/internal/engine"
)

// rowsReader reads pgx's rows for conn: their column names from pgx's field descriptions,
// and scans through plans kept from one statement to the next. It has no state: the pool and
// its sessions share it.
type rowsReader struct{}

func (rowsReader) Columns(r engine.Rows) []string {
	fds := r.(pgx.Rows).FieldDescriptions()
	cols := make([]string, len(fds))
	for i := range fds {
		cols[i] = fds[i].Name
	}
	return cols
}

// SameColumns reads pgx's field descriptions in place, so that a fetch whose columns match
// the plan it scanned with last time makes no list of names.
func (rowsReader) SameColumns(r engine.Rows, cols []string) bool {
	fds := r.(pgx.Rows).FieldDescriptions()
	if len(fds) != len(cols) {
		return false
	}
	for i := range fds {
		if fds[i].Name != cols[i] {
			return false
		}
	}
	return true
}

func (rowsReader) NewScanPlans() engine.ScanPlans { return new(pgScan) }

// pgScan keeps pgx's scan plans for one result shape from one statement to the next. pgx's
// Rows.Scan plans each column afresh for every result (its plans live in the result), which
// costs a fetch of one row four allocations (the plan lists, the plans of some types) and
// the planning itself; a fetch function's scanner sees the same shape again and again, so it
// plans once and scans each row the way Rows.Scan does with the plans it keeps.
//
// A plan belongs to one connection's type map (types can be registered per connection) and
// to the column's type and format, so the plans are made again whenever the map, a column's
// OID or format, or the type the map has registered for that OID differs from when they were
// made. Results with a column of a type the map does not know, or a single destination that
// scans the row itself (pgx.RowScanner), go through pgx's Rows.Scan.
type pgScan struct {
	typeMap *pgtype.Map // nil: no plans
	// checked: the plans were checked against the current result's columns. The columns and
	// the connection stay the same for all of a result's rows, so only its first row pays
	// for the check (a type-map lookup per column).
	checked bool
	oids    []uint32
	formats []int16
	types   []*pgtype.Type
	plans   []pgtype.ScanPlan
}

// Reset drops the plans: the scanner's destinations changed.
func (p *pgScan) Reset() { p.typeMap, p.checked = nil, false }

// NewResult makes the next scan check the plans against a new result's columns.
func (p *pgScan) NewResult() { p.checked = false }

// Scan reads r's current row into dest, as r.Scan(dest...) would.
func (p *pgScan) Scan(r engine.Rows, dest []any) error {
	rows := r.(pgx.Rows)
	fds := rows.FieldDescriptions()
	values := rows.RawValues()
	if len(fds) != len(dest) || len(values) != len(dest) || rows.Conn() == nil {
		return rows.Scan(dest...) // its error says what does not match
	}
	if len(dest) == 1 {
		if _, ok := dest[0].(pgx.RowScanner); ok {
			return rows.Scan(dest...)
		}
	}
	if !p.checked {
		m := rows.Conn().TypeMap()
		if !p.valid(m, fds) && !p.plan(m, fds, dest) {
			return rows.Scan(dest...)
		}
		p.checked = true
	}
	for i, plan := range p.plans {
		if err := plan.Scan(values[i], dest[i]); err != nil {
			return pgx.ScanArgError{ColumnIndex: i, FieldName: fds[i].Name, Err: err}
		}
	}
	return nil
}

// valid reports whether the plans were made for this map and these columns' types.
func (p *pgScan) valid(m *pgtype.Map, fds []pgconn.FieldDescription) bool {
	if p.typeMap != m || len(p.plans) != len(fds) {
		return false
	}
	for i := range fds {
		if fds[i].DataTypeOID != p.oids[i] || fds[i].Format != p.formats[i] {
			return false
		}
		if t, _ := m.TypeForOID(p.oids[i]); t != p.types[i] {
			return false
		}
	}
	return true
}

// plan makes the plans for the columns fds into dest with m, reusing the lists of the last
// plans. It reports false, and keeps no plans, when a column's type is unknown to m.
func (p *pgScan) plan(m *pgtype.Map, fds []pgconn.FieldDescription, dest []any) bool {
	p.typeMap = nil
	n := len(fds)
	if cap(p.plans) < n {
		p.oids, p.formats = make([]uint32, n), make([]int16, n)
		p.types, p.plans = make([]*pgtype.Type, n), make([]pgtype.ScanPlan, n)
	}
	p.oids, p.formats, p.types, p.plans = p.oids[:n], p.formats[:n], p.types[:n], p.plans[:n]
	for i := range fds {
		t, ok := m.TypeForOID(fds[i].DataTypeOID)
		if !ok {
			clear(p.plans) // hold on to no plan of another shape
			return false
		}
		p.oids[i], p.formats[i], p.types[i] = fds[i].DataTypeOID, fds[i].Format, t
		p.plans[i] = m.PlanScan(fds[i].DataTypeOID, fds[i].Format, dest[i])
	}
	p.typeMap = m
	return true
}
