package schema

import (
	"encoding/json"
	"reflect"
	"strconv"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

// ColumnTyper is implemented by a Go type that knows its own column type, such as a decimal
// type: a column of that type is created as ColumnType(d) (NUMERIC(20,4), DECIMAL(20,4)). The
// method is looked up on T and on *T.
//
//	type Money struct{ ... }
//	func (Money) ColumnType(dialect.Dialect) string { return "NUMERIC(20,4)" }
type ColumnTyper interface {
	ColumnType(d dialect.Dialect) string
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
	bytesType   = reflect.TypeFor[[]byte]()
	typerType   = reflect.TypeFor[ColumnTyper]()
)

// columnType is the engine's type for a column holding Go values of type t: the tag's type=
// first, then size=, a ColumnTyper, json, and the Go type's kind. key reports a column that is
// part of a key or an index (MySQL cannot index TEXT). ok is false when no type fits.
func columnType(d dialect.Dialect, t reflect.Type, tag colTag, key bool) (string, bool) {
	ddl := d.Caps().DDL
	switch {
	case tag.typ != "":
		return tag.typ, true
	case tag.size > 0 && t.Kind() == reflect.String:
		return "VARCHAR(" + strconv.Itoa(tag.size) + ")", true
	case t.Implements(typerType):
		return reflect.Zero(t).Interface().(ColumnTyper).ColumnType(d), true
	case reflect.PointerTo(t).Implements(typerType):
		return reflect.New(t).Interface().(ColumnTyper).ColumnType(d), true
	case tag.json || t == rawJSONType:
		return ddl.JSON, true
	case t == timeType:
		return ddl.Time, true
	case t == bytesType || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		if key {
			return ddl.BytesKey, true
		}
		return ddl.Bytes, true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return ddl.Int, true
	case reflect.Int32, reflect.Int16, reflect.Int8:
		return ddl.Int32, true
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return ddl.Uint, true
	case reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return ddl.Int, true // a signed 64-bit column holds every value
	case reflect.Float32, reflect.Float64:
		return ddl.Float, true
	case reflect.Bool:
		return ddl.Bool, true
	case reflect.String:
		if key {
			return ddl.TextKey, true
		}
		return ddl.Text, true
	}
	return "", false
}

func isIntKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}
