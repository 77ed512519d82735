package conn

import (
	"encoding/json"
	"fmt"
	"reflect"
)

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// isJSONKind reports whether a field of type t takes a JSON document: a map, a slice (other
// than bytes), a struct that is not a value of its own (time.Time, an sql.Scanner), a
// json.RawMessage, or a pointer to one of these. database/sql cannot scan into any of them,
// so on MySQL/MariaDB and SQLite they are decoded from the driver's bytes or text; pgx
// decodes json and jsonb into them itself.
func isJSONKind(t reflect.Type) bool {
	if t == rawMessageType {
		return true
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(scannerType) {
		return false
	}
	switch t.Kind() {
	case reflect.Map:
		return true
	case reflect.Slice:
		return t.Elem().Kind() != reflect.Uint8 || t == rawMessageType
	case reflect.Struct:
		return t != timeType
	}
	return false
}

// jsonDest decodes a JSON document a database/sql driver hands over (bytes on MySQL/MariaDB,
// text on SQLite) into the value of type typ at target. NULL leaves the zero value: a nil
// map, slice, pointer or json.RawMessage, as pgx does on PostgreSQL.
type jsonDest struct {
	typ  reflect.Type
	ptr  reflect.Value // a *typ: where the document goes
	null bool          // the last value scanned was NULL
}

// Scan implements sql.Scanner.
func (d *jsonDest) Scan(src any) error {
	d.ptr.Elem().SetZero() // json.Unmarshal would merge into the last row's map
	d.null = src == nil
	var doc []byte
	switch s := src.(type) {
	case nil:
		return nil
	case []byte:
		doc = s
	case string:
		doc = []byte(s)
	default:
		return fmt.Errorf("a JSON document into %s must come as text or bytes, not %T", d.typ, src)
	}
	if d.typ == rawMessageType {
		*d.ptr.Interface().(*json.RawMessage) = append(json.RawMessage(nil), doc...) // the driver reuses its buffer
		return nil
	}
	if err := json.Unmarshal(doc, d.ptr.Interface()); err != nil {
		return fmt.Errorf("decoding JSON into %s: %w", d.typ, err)
	}
	return nil
}
