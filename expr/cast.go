package expr

import (
	"database/sql/driver"
	"encoding/json"
	"reflect"
	"time"
)

type cast struct {
	x       node
	typ     reflect.Type
	sqlType string
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	bytesType  = reflect.TypeFor[[]byte]()
	jsonType   = reflect.TypeFor[json.RawMessage]()
	valuerType = reflect.TypeFor[driver.Valuer]()
)

func (c *cast) writeNode(w *Writer) {
	t := c.sqlType
	if c.typ != nil { // Cast: the dialect names the type; CastAs("") must not get here
		t = castName(w, c.typ)
		if t == "" {
			w.Fail(ErrInvalid, "CAST to Go type "+c.typ.String()+" has no SQL type; use expr.CastAs")
			return
		}
	} else if !validTypeName(t) {
		w.Fail(ErrInvalid, "CAST type "+quote(t)+" is not a plain type name")
		return
	}
	w.Text("CAST(")
	c.x.write(w)
	w.Text(" AS ")
	w.Text(t)
	w.Char(')')
}

func castName(w *Writer, t reflect.Type) string {
	ct := &w.caps.Cast
	switch {
	case t == timeType:
		return ct.Time
	case t == bytesType:
		return ct.Bytes
	case t == jsonType:
		return "" // JSON has its own types per engine: leave it to the context
	case t.Implements(valuerType):
		return "" // a driver.Valuer knows its own encoding
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ct.Int
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ct.Uint
	case reflect.Float32, reflect.Float64:
		return ct.Float
	case reflect.String:
		return ct.Text
	case reflect.Bool:
		return ct.Bool
	}
	return ""
}

// validTypeName accepts type names like "NUMERIC(10, 2)", "DOUBLE PRECISION",
// "TIMESTAMP(3) WITH TIME ZONE" or "INTEGER[]", which are written into the SQL text as they
// are: words, at most one parenthesized list of numbers, and array brackets. Anything else
// (a parenthesis that closes the CAST, an operator) is rejected.
func validTypeName(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	inParen, sawParen := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inParen:
			switch {
			case c >= '0' && c <= '9', c == ',', c == ' ':
			case c == ')':
				inParen = false
			default:
				return false
			}
		case isLetter(c), c >= '0' && c <= '9', c == ' ':
		case c == '(' && !sawParen:
			inParen, sawParen = true, true
		case c == '[' && i+1 < len(s) && s[i+1] == ']':
			i++
		default:
			return false
		}
	}
	return !inParen
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// Cast converts x to the SQL type of Go type To, named per dialect (dialect.Capabilities.Cast):
// expr.Cast[string](u.ID) is CAST("id" AS TEXT) on PostgreSQL, CAST(`id` AS CHAR) on MySQL.
func Cast[To any](x Expression) Expr[To] {
	return newExpr[To](cast{x: exprNode(x), typ: reflect.TypeFor[To]()})
}

// CastAs converts x to an explicitly named SQL type: expr.CastAs[float64](p.Price, "NUMERIC(10, 2)").
// The type name is words, at most one parenthesized list of numbers and array brackets
// ("TIMESTAMP(3) WITH TIME ZONE", "INTEGER[]"); any other name fails to build.
func CastAs[To any](x Expression, sqlType string) Expr[To] {
	return newExpr[To](cast{x: exprNode(x), sqlType: sqlType})
}
