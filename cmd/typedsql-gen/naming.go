package main

import (
	"strings"
	"unicode"
)

// commonInitialisms are the words Go writes in one case (golint's list, plus a few database
// words): user_id -> UserID, avatar_url -> AvatarURL. A config file's initialisms add to it.
var commonInitialisms = []string{
	"ACL", "API", "ASCII", "CPU", "CSS", "CSV", "DB", "DNS", "EOF", "GUID", "HTML", "HTTP",
	"HTTPS", "ID", "IP", "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "SKU", "SLA", "SMTP", "SQL",
	"SSH", "TCP", "TLS", "TTL", "UDP", "UI", "UID", "URI", "URL", "UTC", "UTF8", "UUID", "VM",
	"XML", "XMPP", "XSRF", "XSS",
}

// namer turns database names into exported Go names.
type namer struct{ initialisms map[string]bool }

func newNamer(extra []string) namer {
	n := namer{initialisms: map[string]bool{}}
	for _, w := range commonInitialisms {
		n.initialisms[w] = true
	}
	for _, w := range extra {
		n.initialisms[strings.ToUpper(w)] = true
	}
	return n
}

// words splits a database name at anything that is not a letter or a digit and where the case
// changes from lower to upper: "user_id", "userId" and "User ID" are all [user id].
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
			i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// GoName is the exported Go name of a database name: each word capitalised, an initialism in
// upper case ("avatar_url" -> "AvatarURL", "user_id" -> "UserID"), "X" before a leading digit
// ("2fa_secret" -> "X2faSecret"), and "X" alone for a name with no letters or digits.
func (n namer) GoName(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		if up := strings.ToUpper(w); n.initialisms[up] {
			b.WriteString(up)
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	if r := []rune(out)[0]; !unicode.IsLetter(r) {
		out = "X" + out
	}
	return out
}
