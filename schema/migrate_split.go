package schema

import (
	"fmt"
	"strings"
)

// Directives a migration file may hold, each on a line of its own.
const (
	// directiveNoTx runs the file outside a transaction (CREATE INDEX CONCURRENTLY, VACUUM,
	// PRAGMA foreign_keys).
	directiveNoTx = "-- typedsql:no-transaction"
	// directiveBegin and directiveEnd keep the lines between them one statement, for bodies
	// with semicolons the splitter cannot see past (a SQLite or MySQL trigger's BEGIN ... END).
	directiveBegin = "-- typedsql:begin"
	directiveEnd   = "-- typedsql:end"
)

// splitStatements cuts a migration file into statements at the semicolons outside quotes
// ('...', "...", `...`), comments (-- and /* */), dollar quotes ($$...$$, $tag$...$tag$) and
// begin/end directives. It reports whether the file asks for no transaction, and an error for
// an unterminated quote, comment or block.
func splitStatements(src string) (stmts []string, noTx bool, err error) {
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" && !onlyComments(s) {
			stmts = append(stmts, s)
		}
		cur.Reset()
	}
	line := 1
	block := 0 // line of the open begin directive
	for i := 0; i < len(src); {
		c := src[i]
		atLineStart := i == 0 || src[i-1] == '\n'
		switch {
		case c == '\n':
			line++
			cur.WriteByte(c)
			i++
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			comment := strings.TrimSpace(src[i : i+end])
			switch {
			case atLineStart && comment == directiveNoTx:
				noTx = true
			case atLineStart && comment == directiveBegin:
				if block != 0 {
					return nil, false, fmt.Errorf("line %d: %s inside the block opened on line %d", line, directiveBegin, block)
				}
				flush()
				block = line
			case atLineStart && comment == directiveEnd:
				if block == 0 {
					return nil, false, fmt.Errorf("line %d: %s without %s", line, directiveEnd, directiveBegin)
				}
				flush()
				block = 0
			default:
				cur.WriteString(src[i : i+end])
			}
			i += end
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, false, fmt.Errorf("line %d: unterminated /* comment", line)
			}
			chunk := src[i : i+2+end+2]
			line += strings.Count(chunk, "\n")
			cur.WriteString(chunk)
			i += len(chunk)
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for {
				k := strings.IndexByte(src[j:], c)
				if k < 0 {
					return nil, false, fmt.Errorf("line %d: unterminated %c quote", line, c)
				}
				j += k + 1
				if j < len(src) && src[j] == c { // doubled quote
					j++
					continue
				}
				break
			}
			line += strings.Count(src[i:j], "\n")
			cur.WriteString(src[i:j])
			i = j
		case c == '$':
			tag, ok := dollarTag(src[i:])
			if !ok {
				cur.WriteByte(c)
				i++
				continue
			}
			end := strings.Index(src[i+len(tag):], tag)
			if end < 0 {
				return nil, false, fmt.Errorf("line %d: unterminated %s quote", line, tag)
			}
			chunk := src[i : i+len(tag)+end+len(tag)]
			line += strings.Count(chunk, "\n")
			cur.WriteString(chunk)
			i += len(chunk)
		case c == ';' && block == 0:
			flush()
			i++
		default:
			cur.WriteByte(c)
			i++
		}
	}
	if block != 0 {
		return nil, false, fmt.Errorf("line %d: %s is never closed by %s", block, directiveBegin, directiveEnd)
	}
	flush()
	return stmts, noTx, nil
}

// dollarTag reads a PostgreSQL dollar-quote opener at the start of s: $$ or $tag$.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '$':
			return s[:j+1], true
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9':
		default:
			return "", false
		}
	}
	return "", false
}

// onlyComments reports a chunk with nothing but -- comments and blank lines.
func onlyComments(s string) bool {
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}
