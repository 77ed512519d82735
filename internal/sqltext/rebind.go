package sqltext

import (
	"fmt"
	"strings"
)

// Syntax is what a dialect's SQL text has beyond standard quotes and comments, for Rebind
// (dialect.Lexical, with dialect.Capabilities.BackslashEscapes).
type Syntax struct {
	HashComments     bool // # to the end of the line
	BacktickQuotes   bool // `identifier`
	DollarQuotes     bool // $tag$ ... $tag$
	EscapeStrings    bool // E'...' with backslash escapes
	NestedComments   bool // /* /* */ */
	BackslashEscapes bool // a backslash escapes inside every '...'
}

// Rebind rewrites the ? placeholders of s outside string literals, quoted identifiers and
// comments: the n-th (1-based) becomes place(b, n), and ?? becomes a literal ? (an operator of
// PostgreSQL's jsonb). With place nil, placeholders stay ? and ?? is an error, because a ?
// outside quotes can only be a placeholder there. It returns the text, s itself when nothing
// changed, and the number of placeholders. A ? followed by a digit (?1, SQLite's numbered
// form) is an error: only bare ? is portable.
func Rebind(s string, syn Syntax, place func(b []byte, n int) []byte) (string, int, error) {
	var b []byte // nil until the text changes
	n, last := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'':
			esc := syn.BackslashEscapes || syn.EscapeStrings && i > 0 && s[i-1]|0x20 == 'e' && (i == 1 || !isWordByte(s[i-2]))
			i = skipQuoted(s, i, esc)
		case c == '"' || c == '`' && syn.BacktickQuotes:
			i = skipQuoted(s, i, false)
		case c == '-' && strings.HasPrefix(s[i:], "--"), c == '#' && syn.HashComments:
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return finish(s, b, last, n)
			}
			i += j + 1
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			i = skipComment(s, i, syn.NestedComments)
		case c == '$' && syn.DollarQuotes && (i == 0 || !isWordByte(s[i-1])):
			i = skipDollarQuoted(s, i)
		case c == '?':
			switch next := byte(0); {
			case i+1 < len(s):
				next = s[i+1]
				fallthrough
			default:
				if next == '?' {
					if place == nil {
						return "", 0, fmt.Errorf("?? (a literal ?) at byte %d: on this engine a ? outside quotes is always a placeholder", i)
					}
					b = append(b, s[last:i+1]...) // one ?
					i += 2
					last = i
					continue
				}
				if next >= '0' && next <= '9' {
					return "", 0, fmt.Errorf("numbered placeholder ?%c at byte %d: write a bare ? for each argument, in order", next, i)
				}
			}
			n++
			if place != nil {
				b = place(append(b, s[last:i]...), n)
				last = i + 1
			}
			i++
		default:
			i++
		}
	}
	return finish(s, b, last, n)
}

func finish(s string, b []byte, last, n int) (string, int, error) {
	if b == nil {
		return s, n, nil
	}
	return string(append(b, s[last:]...)), n, nil
}

// skipQuoted returns the index after the quoted text that starts at s[i]; a doubled quote
// character stays inside, and with esc a backslash escapes the next byte. An unterminated
// quote runs to the end.
func skipQuoted(s string, i int, esc bool) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if esc {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// skipComment returns the index after the /* comment */ that starts at s[i].
func skipComment(s string, i int, nested bool) int {
	depth := 0
	for j := i; j+1 < len(s); {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			if depth == 0 || nested {
				depth++
			}
			j += 2
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j
			}
		default:
			j++
		}
	}
	return len(s)
}

// skipDollarQuoted returns the index after the $tag$ ... $tag$ string that starts at s[i], or
// i+1 when s[i] does not begin one ($1 is a placeholder, not a tag).
func skipDollarQuoted(s string, i int) int {
	j := i + 1
	for j < len(s) && (s[j] == '_' || s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z' || s[j] >= 0x80 || j > i+1 && s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		return i + 1
	}
	tag := s[i : j+1]
	end := strings.Index(s[j+1:], tag)
	if end < 0 {
		return len(s)
	}
	return j + 1 + end + len(tag)
}
