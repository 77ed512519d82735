package schema

import (
	"strconv"
	"strings"
)

// normDefault is a default's SQL in a form the three engines' catalogs agree on, and whether
// it is a form sameDefault trusts: a number, a string, TRUE/FALSE, NULL or the current time.
// What it undoes is what the engines are known to rewrite:
//
//	written              PostgreSQL reads back          MariaDB reads back     normal form
//	'new'                'new'::text                    'new'                  'new'
//	-1                   '-1'::integer                  -1                     -1
//	0.50                 0.50                           0.50                   0.5
//	TRUE                 true                           1                      1
//	CURRENT_TIMESTAMP    CURRENT_TIMESTAMP, now()       current_timestamp()    current_timestamp
//
// Anything else (a function call, an expression) is returned trimmed and lower-cased outside
// quotes, with simple false: the engines rewrite expressions in ways not undone here.
func normDefault(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for {
		t := stripCast(unparen(s))
		if t == s {
			break
		}
		s = t
	}
	if _, ok := sqlString(s); ok {
		return s, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	switch l := strings.ToLower(s); l {
	case "true":
		return "1", true
	case "false":
		return "0", true
	case "null":
		return "null", true
	case "current_timestamp", "current_timestamp()", "now()", "localtimestamp":
		return "current_timestamp", true
	default:
		return l, false
	}
}

// unparen strips one pair of parentheses around the whole of s.
func unparen(s string) string {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return s
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return s // (a) + (b)
			}
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return s
			}
			i += j + 1
		}
	}
	return strings.TrimSpace(s[1 : len(s)-1])
}

// stripCast strips a trailing PostgreSQL cast (::text, ::character varying, ::timestamp with
// time zone) from a value that is a string literal or a number.
func stripCast(s string) string {
	i := strings.LastIndex(s, "::")
	if i < 0 {
		return s
	}
	v := strings.TrimSpace(s[:i])
	if str, ok := sqlString(v); ok {
		if _, err := strconv.ParseFloat(str, 64); err == nil && numericType(s[i+2:]) {
			return str // '-1'::integer is the number -1
		}
		return v
	}
	if _, err := strconv.ParseFloat(unparen(v), 64); err == nil {
		return unparen(v)
	}
	return s
}

// numericType reports a PostgreSQL number type name, as a cast spells it.
func numericType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "integer", "bigint", "smallint", "numeric", "decimal", "real", "double precision", "int", "int2", "int4", "int8", "float4", "float8":
		return true
	}
	return false
}

// sqlString reports whether s is one SQL string literal, and its value.
func sqlString(s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	body := s[1 : len(s)-1]
	if strings.Contains(strings.ReplaceAll(body, "''", ""), "'") {
		return "", false // two literals, 'a' || 'b'
	}
	return strings.ReplaceAll(body, "''", "'"), true
}
