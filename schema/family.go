package schema

import (
	"strconv"
	"strings"
)

// family is the kind of value a column type holds, read from the type's name with the
// vocabulary SQL engines share (INT..., CHAR/TEXT, BLOB/BYTEA/BINARY, ...).
type family uint8

const (
	famOther family = iota
	famInt
	famFloat
	famDecimal
	famText
	famBytes
	famBool
	famTime
	famJSON
)

var familyNames = [...]string{"other", "integer", "floating point", "decimal", "text", "binary", "boolean", "time", "JSON"}

func (f family) String() string { return familyNames[f] }

// baseType splits a type name into its first word, lower case ("character varying(100)" ->
// "character", "bigint(20) unsigned" -> "bigint") and the first number in parentheses (100),
// 0 without one.
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

var wordFamilies = map[string]family{
	"smallint": famInt, "int2": famInt, "int": famInt, "int4": famInt, "integer": famInt,
	"bigint": famInt, "int8": famInt, "mediumint": famInt, "tinyint": famInt,
	"serial": famInt, "bigserial": famInt, "smallserial": famInt,
	"real": famFloat, "float": famFloat, "float4": famFloat, "float8": famFloat, "double": famFloat,
	"numeric": famDecimal, "decimal": famDecimal,
	"text": famText, "varchar": famText, "char": famText, "character": famText, "nvarchar": famText,
	"nchar": famText, "clob": famText, "tinytext": famText, "mediumtext": famText, "longtext": famText,
	"citext": famText, "uuid": famText, "enum": famText,
	"bytea": famBytes, "blob": famBytes, "tinyblob": famBytes, "mediumblob": famBytes,
	"longblob": famBytes, "binary": famBytes, "varbinary": famBytes,
	"boolean": famBool, "bool": famBool,
	"timestamp": famTime, "timestamptz": famTime, "datetime": famTime, "date": famTime,
	"json": famJSON, "jsonb": famJSON,
}

// typeFamily classifies a column type by its name.
func typeFamily(typ string) family {
	w, n := baseType(typ)
	if w == "tinyint" && n == 1 { // MySQL's BOOLEAN
		return famBool
	}
	return wordFamilies[w]
}

// intBits is how many bits an integer column type holds; integerBits is the engine's answer
// for INTEGER/INT (32, or 64 on SQLite).
func intBits(typ string, integerBits int) int {
	w, _ := baseType(typ)
	switch w {
	case "tinyint":
		return 8
	case "smallint", "int2", "smallserial":
		return 16
	case "mediumint":
		return 24
	case "int", "integer":
		return integerBits
	case "int4", "serial":
		return 32
	}
	return 64
}
