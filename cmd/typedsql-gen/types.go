package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/schema"
)

// goType is a Go type as generated code spells it ("int64", "time.Time"), with the import
// path it needs ("" for a predeclared type).
type goType struct{ Name, Import string }

var (
	typeAny      = goType{Name: "any"}
	typeTime     = goType{Name: "time.Time", Import: "time"}
	typeRawJSON  = goType{Name: "json.RawMessage", Import: "encoding/json"}
	typeBytes    = goType{Name: "[]byte"}
	typeString   = goType{Name: "string"}
	typeBool     = goType{Name: "bool"}
	typeFloat64  = goType{Name: "float64"}
	typeFloat32  = goType{Name: "float32"}
	predeclared  = map[string]bool{"any": true, "bool": true, "string": true, "[]byte": true, "float32": true, "float64": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true, "uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true}
	knownImports = map[string]string{"time": "time", "json": "encoding/json", "sql": "database/sql", "netip": "net/netip"}
)

// parseGoType reads a Go type as a config file names it: a predeclared type ("string"), a
// standard package's type ("time.Time", "json.RawMessage"), or an import path and a type
// ("github.com/shopspring/decimal.Decimal").
func parseGoType(s string) (goType, error) {
	s = strings.TrimSpace(s)
	if predeclared[s] {
		return goType{Name: s}, nil
	}
	dot := strings.LastIndexByte(s, '.')
	if dot <= 0 || dot == len(s)-1 || strings.LastIndexByte(s, '/') > dot {
		return goType{}, fmt.Errorf("Go type %q: want a predeclared type (string), pkg.Type (time.Time) or import/path.Type (github.com/shopspring/decimal.Decimal)", s)
	}
	path, name := s[:dot], s[dot+1:]
	if !strings.Contains(path, "/") {
		if full, ok := knownImports[path]; ok {
			return goType{Name: path + "." + name, Import: full}, nil
		}
	}
	pkg := path[strings.LastIndexByte(path, '/')+1:]
	if len(pkg) > 1 && pkg[0] == 'v' && strings.Trim(pkg[1:], "0123456789") == "" && strings.Contains(path, "/") {
		rest := path[:strings.LastIndexByte(path, '/')]
		pkg = rest[strings.LastIndexByte(rest, '/')+1:] // github.com/x/y/v2 is package y
	}
	pkg = strings.NewReplacer("-", "", ".", "").Replace(pkg)
	return goType{Name: pkg + "." + name, Import: path}, nil
}

// canonType is a type name with the engines' spellings of one type made equal, for deciding
// whether the type schema.Create makes for a Go type is the live column's type:
// "timestamp with time zone" is "timestamptz", "character varying(20)" is "varchar(20)",
// MySQL's display widths go ("bigint(20) unsigned" is "bigint unsigned") and tinyint(1) is
// "boolean".
func canonType(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	for _, r := range [...][2]string{
		{"timestamp with time zone", "timestamptz"}, {"timestamp without time zone", "timestamp"},
		{"character varying", "varchar"},
	} {
		s = strings.Replace(s, r[0], r[1], 1)
	}
	word, n := baseType(s)
	if intWords[word] {
		if word == "tinyint" && n == 1 {
			return "boolean"
		}
		if open := strings.IndexByte(s, '('); open >= 0 {
			if end := strings.IndexByte(s, ')'); end > open {
				s = s[:open] + s[end+1:]
			}
		}
	}
	s = strings.Replace(s, "integer", "int", 1)
	return strings.Replace(s, "bool ", "boolean ", 1)
}

var intWords = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true,
	"integer": true, "bigint": true, "int2": true, "int4": true, "int8": true,
	"serial": true, "bigserial": true, "smallserial": true}

// baseType splits a type into its first word, lower case, and the first number in
// parentheses: "character varying(100)" is ("character", 100).
func baseType(typ string) (word string, n int) {
	s := strings.ToLower(strings.TrimSpace(typ))
	if open := strings.IndexByte(s, '('); open >= 0 {
		if end := strings.IndexAny(s[open:], ",)"); end > 0 {
			n, _ = strconv.Atoi(strings.TrimSpace(s[open+1 : open+end]))
		}
		s = s[:open]
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		s = s[:i]
	}
	return s, n
}

// builtinType is the Go type a column of type typ reads into, and false for a type with no
// mapping (the column gets typeAny and a warning). See the table in the package documentation.
func builtinType(ddl dialect.DDLTypes, typ string) (goType, bool) {
	word, n := baseType(typ)
	unsigned := strings.Contains(strings.ToLower(typ), "unsigned")
	intOf := func(bits int) goType {
		name := "int" + strconv.Itoa(bits)
		if unsigned {
			name = "u" + name
		}
		return goType{Name: name}
	}
	switch word {
	case "tinyint":
		if n == 1 {
			return typeBool, true
		}
		return intOf(8), true
	case "smallint", "int2", "smallserial":
		return intOf(16), true
	case "mediumint", "int4", "serial":
		return intOf(32), true
	case "int", "integer":
		return intOf(ddl.IntegerBits), true
	case "bigint", "int8", "bigserial":
		return intOf(64), true
	case "real", "float4", "float":
		if ddl.IntegerBits == 64 { // SQLite: every floating type is REAL, 8 bytes, as INTEGER holds 64 bits
			return typeFloat64, true
		}
		return typeFloat32, true
	case "float8", "double":
		return typeFloat64, true
	case "numeric", "decimal":
		return typeFloat64, true
	case "text", "varchar", "char", "character", "nvarchar", "nchar", "clob", "tinytext",
		"mediumtext", "longtext", "citext", "uuid", "enum":
		return typeString, true
	case "bytea", "blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary":
		return typeBytes, true
	case "boolean", "bool":
		return typeBool, true
	case "timestamp", "timestamptz", "datetime", "date":
		return typeTime, true
	case "json", "jsonb":
		return typeRawJSON, true
	}
	return typeAny, false
}

// createType is the type schema.Create writes for a column of Go type gt ("" when it writes
// none without a type= item); key reports a column in a key or an index.
func createType(ddl dialect.DDLTypes, gt goType, key bool) string {
	switch gt.Name {
	case "int", "int64":
		return ddl.Int
	case "int32", "int16", "int8":
		return ddl.Int32
	case "uint", "uint64":
		return ddl.Uint
	case "uint32", "uint16", "uint8":
		return ddl.Int
	case "float32", "float64":
		return ddl.Float
	case "bool":
		return ddl.Bool
	case "string":
		if key {
			return ddl.TextKey
		}
		return ddl.Text
	case "[]byte":
		if key {
			return ddl.BytesKey
		}
		return ddl.Bytes
	case "time.Time":
		return ddl.Time
	case "json.RawMessage":
		return ddl.JSON
	}
	return ""
}

// columnType decides a column's Go type and the type items of its schema tag: size=n for a
// VARCHAR(n) string, type=<the live type> wherever Create would otherwise make another type,
// so that schema.Create from the descriptor makes the column again. over is a config file's
// Go type for the column, if any. warn is why the column got the fallback type.
func columnType(ddl dialect.DDLTypes, c schema.Column, key bool, over *goType) (gt goType, typeItem string, size int, warn string) {
	if over != nil {
		gt = *over
	} else {
		var ok bool
		gt, ok = builtinType(ddl, c.Type)
		if !ok {
			what := fmt.Sprintf("type %q has", c.Type)
			if strings.TrimSpace(c.Type) == "" { // SQLite: a column declared without a type
				what, c.Type = "a column declared without a type has", "BLOB" // BLOB's affinity is none's
			}
			warn = fmt.Sprintf("%s no Go type: generated as %s (schema:\"type=%s\"); map it with a config file's types: or columns:", what, typeAny.Name, c.Type)
		}
	}
	live := canonType(c.Type)
	if gt == typeString && c.Length > 0 && live == "varchar("+strconv.Itoa(c.Length)+")" {
		return gt, "", c.Length, warn
	}
	if made := createType(ddl, gt, key); made == "" || canonType(made) != live {
		typeItem = c.Type
	}
	return gt, typeItem, 0, warn
}
