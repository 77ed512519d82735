package conn

import "github.com/typedsql/typedsql/builder"

// mayWrite reports whether a statement in a PostgreSQL transaction may give it a transaction
// id, which PostgreSQL assigns at the first write or row lock: anything but a builder SELECT
// (or set operation) whose text has no locking clause and no data-modifying WITH. SQL text
// may do anything. A wrong "no" costs only the answer after a lost COMMIT reply (the outcome
// is then reported unknown), never a wrong answer; a wrong "yes" costs one round trip.
func mayWrite(stmt Statement, text string) bool {
	switch stmt.(type) {
	case *builder.SelectStmt, *builder.SetStmt:
		return hasKeyword(text, "FOR", "INSERT", "UPDATE", "DELETE", "MERGE")
	}
	return true
}

// hasKeyword reports whether text has one of words (upper case) as a bare word, outside
// quoted identifiers and string literals.
func hasKeyword(text string, words ...string) bool {
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(text) && text[j] != c {
				j++
			}
			i = j + 1
		case isWordByte(c):
			j := i
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			for _, w := range words {
				if len(w) == j-i && equalUpper(text[i:j], w) {
					return true
				}
			}
			i = j
		default:
			i++
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80
}

// equalUpper compares s with the upper-case ASCII word w, ignoring s's case.
func equalUpper(s, w string) bool {
	for i := range len(w) {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}
