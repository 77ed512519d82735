// Package sqltext reads hand-written SQL text just far enough to answer the questions package
// conn asks of it: which keyword a statement begins with, whether the text holds several
// statements, whether a keyword appears outside quotes. It is not a parser: it knows comments
// (--, # and /* */), quotes ('...', "..." and `...`) and words, and errs towards "yes" where
// a caller's wrong "no" would cost more than its wrong "yes".
package sqltext

import "strings"

// Skip returns s without its leading blanks and comments (--, # to the end of the line;
// /* to */). An unterminated comment swallows the rest.
func Skip(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n\f\v")
		switch {
		case strings.HasPrefix(s, "--"), strings.HasPrefix(s, "#"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s[2:], "*/")
			if i < 0 {
				return ""
			}
			s = s[i+4:]
		default:
			return s
		}
	}
}

// FirstWord returns the ASCII letters s begins with (no blanks or comments are skipped).
func FirstWord(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return s[:i]
		}
	}
	return s
}

// Leading returns the first word of s after blanks and comments, and the text after it:
//
//	Leading("/* x */ BEGIN IMMEDIATE") // "BEGIN", " IMMEDIATE"
func Leading(s string) (word, rest string) {
	s = Skip(s)
	w := FirstWord(s)
	return w, s[len(w):]
}

// StatementEnd returns the index of the first semicolon of s outside quotes, or -1.
func StatementEnd(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == ';':
			return i
		}
	}
	return -1
}

// Several reports whether s holds more than one statement: something other than blanks and
// comments follows its first semicolon outside quotes (leading comments are skipped first, so
// that a quote inside one does not count).
func Several(s string) bool {
	s = Skip(s)
	i := StatementEnd(s)
	return i >= 0 && Skip(s[i+1:]) != ""
}

// ContainsFold reports whether sub occurs in s, ignoring ASCII case, quotes or not.
func ContainsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// HasKeyword reports whether text has one of words (upper case) as a bare word, outside
// quoted identifiers and string literals, ignoring the text's case.
func HasKeyword(text string, words ...string) bool {
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
