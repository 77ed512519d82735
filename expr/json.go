package expr

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/typedsql/typedsql/dialect"
)

// JSON is a column holding a JSON document whose Go form is T: a struct, a map, a slice. Set
// marshals the value (encoding/json) and binds it as text, which every engine takes for a
// json, jsonb or TEXT column; conn's fetch functions unmarshal the column back into a T (or *T)
// field on every engine. It may hold NULL. Its typed accessors take a scalar out by path, in
// the engine's own way:
//
//	type ProductsTable struct {
//		expr.Table
//		ID    expr.Column[int64]    `db:"id"`
//		Attrs expr.JSON[Attrs]      `db:"attrs"`
//	}
//
//	Products.Attrs.Set(Attrs{Color: "red"})   // "attrs" = $1, bound as {"color":"red"}
//	Products.Attrs.Text("color").Eq("red")
//	// PostgreSQL: ("attrs" #>> CAST(ARRAY[$1] AS TEXT[])) = $2
//	// MariaDB:    JSON_VALUE(`attrs`, ?) = ?                  (the path bound as $."color")
//	// MySQL:      JSON_UNQUOTE(JSON_EXTRACT(`attrs`, ?)) = ?
//	// SQLite:     CAST(json_extract("attrs", ?) AS TEXT) = ?
//
// Package schema declares it as the engine's JSON type (JSONB, JSON, TEXT).
type JSON[T any] struct{ c *column }

func (c *JSON[T]) bindColumn(col *column) { c.c = col }
func (c JSON[T]) columnRef() *column      { return c.c }
func (c JSON[T]) shapeWord() uint32       { return c.c.shapeWord() }

// WriteSQL writes the column reference: "attrs", or "table"."attrs" where that is needed.
func (c JSON[T]) WriteSQL(w *Writer) { w.column(c.c) }

// ColumnName is the column's name as declared (its db tag).
func (c JSON[T]) ColumnName() string { return columnName(c.c) }

// GoType is json.RawMessage, for package schema: the column holds a JSON document, whatever T
// its documents decode into.
func (JSON[T]) GoType() reflect.Type { return jsonType }

// IsNullable reports true: a JSON column may hold NULL (SetNull).
func (JSON[T]) IsNullable() bool { return true }

// Set assigns v as a JSON document: "attrs" = $1, bound as the text json.Marshal makes of v. A
// value json.Marshal refuses (a channel, a func) makes the statement fail to build.
func (c JSON[T]) Set(v T) Assignment {
	return Assignment{col: c.c, val: node{&jsonValue{v: v, col: c.c}}}
}

// SetNull assigns NULL: "attrs" = NULL.
func (c JSON[T]) SetNull() Assignment { return Assignment{col: c.c, val: node{nullNode{}}} }

// IsNull is "attrs" IS NULL.
func (c JSON[T]) IsNull() Cond { return Cond{op: opIsNull, l: colNode(c.c)} }

// IsNotNull is "attrs" IS NOT NULL.
func (c JSON[T]) IsNotNull() Cond { return Cond{op: opIsNotNull, l: colNode(c.c)} }

// As names the column in a select list: "attrs" AS "alias".
func (c JSON[T]) As(alias string) Aliased { return Aliased{n: colNode(c.c), alias: alias} }

// Text is the scalar at the path of object keys, as text, or NULL where the document has
// none there (a missing key; JSON null on PostgreSQL, MariaDB and SQLite, the text 'null' on
// MySQL). Scan it into a *string where it may be NULL. It is meant for strings, numbers and
// booleans: an object or array at the path is its JSON text on PostgreSQL, MySQL and SQLite,
// and NULL on MariaDB.
func (c JSON[T]) Text(keys ...string) Expr[string] {
	return newExpr[string](jsonPath{doc: c.c, keys: keys})
}

// Int is the number at the path of object keys as an integer: Text cast to the engine's
// integer type (BIGINT, SIGNED, INTEGER).
func (c JSON[T]) Int(keys ...string) Expr[int64] {
	return newExpr[int64](jsonPath{doc: c.c, keys: keys, to: jsonInt})
}

// Float is the number at the path of object keys as a float: Text cast to the engine's float
// type (DOUBLE PRECISION, DOUBLE, REAL).
func (c JSON[T]) Float(keys ...string) Expr[float64] {
	return newExpr[float64](jsonPath{doc: c.c, keys: keys, to: jsonFloat})
}

// jsonValue is a Go value bound as its JSON text.
type jsonValue struct {
	v   any
	col *column
}

func (x *jsonValue) writeNode(w *Writer) {
	doc, err := json.Marshal(x.v)
	if err != nil {
		w.Fail(ErrInvalid, "JSON column "+quote(columnName(x.col))+": "+err.Error())
		return
	}
	w.Arg(string(doc))
}

type jsonTarget uint8

const (
	jsonText jsonTarget = iota
	jsonInt
	jsonFloat
)

// jsonPath is a scalar taken out of a JSON column by a path of object keys.
type jsonPath struct {
	doc  *column
	keys []string
	to   jsonTarget
}

func (p *jsonPath) writeNode(w *Writer) {
	if len(p.keys) == 0 {
		w.Fail(ErrInvalid, "JSON path of "+quote(columnName(p.doc))+" without a key")
		return
	}
	form := w.caps.JSONPath
	var castTo string
	switch p.to {
	case jsonInt:
		castTo = w.caps.Cast.Int
	case jsonFloat:
		castTo = w.caps.Cast.Float
	default:
		if form == dialect.JSONPathExtract { // json_extract gives numbers as numbers
			castTo = w.caps.Cast.Text
		}
	}
	if castTo != "" {
		w.Text("CAST(")
	}
	switch form {
	case dialect.JSONPathArrayText:
		w.Char('(')
		w.column(p.doc)
		w.Text(" #>> CAST(ARRAY[")
		for i, k := range p.keys {
			if i > 0 {
				w.Text(", ")
			}
			w.Arg(k)
		}
		w.Text("] AS TEXT[]))")
	case dialect.JSONPathValue, dialect.JSONPathUnquote, dialect.JSONPathExtract:
		path, ok := dollarPath(p.keys)
		if !ok {
			w.Fail(ErrInvalid, "JSON path of "+quote(columnName(p.doc))+": a key with a double quote or a backslash cannot be written in a path on every engine")
			return
		}
		open, shut := "json_extract(", ")"
		switch form {
		case dialect.JSONPathValue:
			open = "JSON_VALUE("
		case dialect.JSONPathUnquote:
			open, shut = "JSON_UNQUOTE(JSON_EXTRACT(", "))"
		}
		w.Text(open)
		w.column(p.doc)
		w.Text(", ")
		w.Arg(path)
		w.Text(shut)
	default:
		w.Unsupported("JSON path extraction")
		return
	}
	if castTo != "" {
		w.Text(" AS ")
		w.Text(castTo)
		w.Char(')')
	}
}

// dollarPath writes keys as a JSON path of quoted object keys: $."a"."b c". MySQL would take
// a backslash-escaped quote inside a key, SQLite would not, so such keys are refused.
func dollarPath(keys []string) (string, bool) {
	var b strings.Builder
	b.WriteByte('$')
	for _, k := range keys {
		if strings.ContainsAny(k, `"\`) {
			return "", false
		}
		b.WriteString(`."`)
		b.WriteString(k)
		b.WriteByte('"')
	}
	return b.String(), true
}
