package expr

// AllColumns is the table's columns in declaration order, as a select list: the Go spelling
// of SELECT t.*, but naming each column, so the result matches a row struct with the same
// `db` tags whatever the table holds beyond the descriptor. Under an alias (As) the columns
// are the alias's.
//
//	builder.Select(Users.AllColumns()...).From(Users)
//	// SELECT "id", "name", "email" FROM "users"
//
// An unbound descriptor has no columns; the slice is the caller's to change.
func (t Table) AllColumns() []Expression {
	if t.t == nil {
		return nil
	}
	cols := make([]Expression, len(t.t.cols))
	for i, c := range t.t.cols {
		cols[i] = columnItem{c}
	}
	return cols
}

// columnItem is one of AllColumns' items: a column whose Go type the list does not carry.
type columnItem struct{ c *column }

// WriteSQL writes the column reference.
func (c columnItem) WriteSQL(w *Writer) { w.column(c.c) }

// ColumnName is the column's name, which names its result column (and binds a CTE's).
func (c columnItem) ColumnName() string   { return columnName(c.c) }
func (c columnItem) tableColumn() *column { return c.c }
func (c columnItem) exprNode() node       { return colNode(c.c) }
func (c columnItem) shapeWord() uint32    { return c.c.shapeWord() }
