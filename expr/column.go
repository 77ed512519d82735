package expr

import "database/sql"

//go:generate go run gen_ops.go
//go:generate go run ../internal/walkgen walk.go walk_gen.go

// Column is a NOT NULL column holding Go values of type T. Declare it as a field of a table
// struct (see Table); NewTable binds it. It is one pointer wide, so passing it to Select or
// GroupBy costs no allocation.
//
//	Users.ID.Eq(42)            // "id" = $1
//	Users.Name.Set("ann")      // "name" = $1 in UPDATE, a VALUES item in INSERT
//	Users.ID.Eq("x")           // does not compile: int64 column, string value
type Column[T any] struct{ c *column }

// Nullable is a column that may hold NULL. It compares and assigns plain T values, adds
// SetNull/SetNullable, and scans into sql.Null[T] or *T.
//
//	Users.Email.IsNull()       // "email" IS NULL
//	Users.Email.SetNull()      // "email" = NULL
type Nullable[T any] struct{ c *column }

func (c *Column[T]) bindColumn(col *column)   { c.c = col }
func (c *Nullable[T]) bindColumn(col *column) { c.c = col }
func (c Column[T]) tableColumn() *column      { return c.c }
func (c Nullable[T]) tableColumn() *column    { return c.c }

// WriteSQL writes the column reference: "name", or "table"."name" where that is needed.
func (c Column[T]) WriteSQL(w *Writer) { w.column(c.c) }

// WriteSQL writes the column reference: "name", or "table"."name" where that is needed.
func (c Nullable[T]) WriteSQL(w *Writer) { w.column(c.c) }

// ColumnName is the column's name as declared (its db tag).
func (c Column[T]) ColumnName() string { return columnName(c.c) }

// ColumnName is the column's name as declared (its db tag).
func (c Nullable[T]) ColumnName() string { return columnName(c.c) }

func columnName(c *column) string {
	if c == nil {
		return ""
	}
	return c.name
}

// Set assigns a value: "name" = $1 in UPDATE, or the column's value in an INSERT row.
func (c Column[T]) Set(v T) Assignment { return Assignment{col: c.c, val: valNode(v)} }

// Set assigns a (non-NULL) value: "email" = $1.
func (c Nullable[T]) Set(v T) Assignment { return Assignment{col: c.c, val: valNode(v)} }

// SetExpr assigns an expression of the same type: "visits" = ("visits" + $1).
func (c Column[T]) SetExpr(x Of[T]) Assignment { return Assignment{col: c.c, val: x.exprNode()} }

// SetExpr assigns an expression of the same type.
func (c Nullable[T]) SetExpr(x Of[T]) Assignment { return Assignment{col: c.c, val: x.exprNode()} }

// SetDefault assigns the column's default: "name" = DEFAULT. SQLite has no DEFAULT value
// keyword; there it fails to build (leave the column out of the INSERT instead).
func (c Column[T]) SetDefault() Assignment { return Assignment{col: c.c, val: node{defaultNode{}}} }

// SetDefault assigns the column's default: "email" = DEFAULT.
func (c Nullable[T]) SetDefault() Assignment {
	return Assignment{col: c.c, val: node{defaultNode{}}}
}

// SetNull assigns NULL: "email" = NULL.
func (c Nullable[T]) SetNull() Assignment { return Assignment{col: c.c, val: node{nullNode{}}} }

// SetNullable assigns v.V when v.Valid, else NULL.
func (c Nullable[T]) SetNullable(v sql.Null[T]) Assignment {
	if !v.Valid {
		return c.SetNull()
	}
	return c.Set(v.V)
}

// SetPtr assigns *p, or NULL when p is nil: the shape of an optional field in a JSON body or
// a form, where nil means "no value".
//
//	Users.Email.SetPtr(req.Email)   // "email" = $1, or "email" = NULL when req.Email is nil
func (c Nullable[T]) SetPtr(p *T) Assignment {
	if p == nil {
		return c.SetNull()
	}
	return c.Set(*p)
}

// Assignment is one typed "column = value": an UPDATE SET item, an INSERT row's value, an
// upsert's DO UPDATE SET item. Make one with Column.Set, Column.SetExpr, Nullable.SetNull.
type Assignment struct {
	col *column
	val node
}

// ColumnName is the assigned column's name.
func (a Assignment) ColumnName() string { return columnName(a.col) }

// QualifiedName is the assigned column as "table.column" (or "alias.column"), for messages.
func (a Assignment) QualifiedName() string {
	if a.col == nil {
		return ""
	}
	t := a.col.table
	if t.alias != "" {
		return t.alias + "." + a.col.name
	}
	return t.qualifiedName() + "." + a.col.name
}

// SameColumn reports whether a and b assign the same column of the same table descriptor.
func (plumbing) SameColumn(a, b Assignment) bool { return a.col != nil && a.col == b.col }

// BelongsTo reports whether the assigned column is one of src's columns.
func (plumbing) BelongsTo(a Assignment, src Source) bool {
	return a.col != nil && src != nil && a.col.table == src.sourceInfo()
}

// WriteColumn writes the target column, unqualified ("name") unless qualified is set
// ("u"."name", for MySQL multi-table UPDATE).
func (plumbing) WriteColumn(w *Writer, a Assignment, qualified bool) {
	if a.col == nil {
		w.Fail(ErrInvalid, "assignment to an unbound column (a zero expr.Assignment, or a table not made with expr.NewTable)")
		return
	}
	if a.col.table.err != "" {
		w.Fail(ErrInvalid, a.col.table.err)
		return
	}
	if w.qs >= 0 { // quoted when the table was declared
		if qualified {
			if r := &a.col.qual[w.qs]; !w.tryRun(r) {
				w.Text(r.s)
			}
		} else {
			if r := &a.col.bare[w.qs]; !w.tryRun(r) {
				w.Text(r.s)
			}
		}
		return
	}
	if qualified {
		a.col.table.writeRef(w)
		w.Char('.')
	}
	w.Ident(a.col.name)
}

// WriteValue writes the assigned value.
func (plumbing) WriteValue(w *Writer, a Assignment) { a.val.write(w) }

// Value returns the value the assignment binds, for code that sends rows without SQL text
// (PostgreSQL's COPY, conn/postgres.CopyFrom): v for Set(v), nil for SetNull. ok is false
// for an expression or DEFAULT, which only the SQL text can carry.
func (a Assignment) Value() (v any, ok bool) {
	switch x := a.val.x.(type) {
	case nullNode, nilValue:
		return nil, true
	case *column, *aggCol, nodeWriter, nil:
		return nil, false
	default:
		return x, true
	}
}

// args is how many arguments the assigned value binds when written: 1 for a value (Set), 0
// for NULL and DEFAULT, and -1 for an expression (SetExpr), whose count only writing it
// tells. Splitting a long INSERT at the engine's limit counts with it.
func (a Assignment) args() int {
	switch a.val.x.(type) {
	case nullNode, defaultNode:
		return 0
	case nilValue:
		return 1
	case *column, *aggCol, nodeWriter, nil:
		return -1
	default:
		return 1
	}
}
