package dialect

import (
	"strconv"
	"strings"
)

// Version is a server's version: the text the server reports and the numbers read from its
// start.
type Version struct {
	// Text is the server's own string: "15.4 (Debian 15.4-1.pgdg120+1)" (PostgreSQL),
	// "10.11.6-MariaDB-0+deb12u1" or "8.0.36" (MySQL/MariaDB), "3.49.1" (SQLite).
	Text                string
	Major, Minor, Patch int
}

// ParseVersion reads the numbers at the start of a server's version text ("10.11.6-MariaDB"
// is 10.11.6); numbers it does not find are 0.
func ParseVersion(text string) Version {
	v := Version{Text: text}
	rest := strings.TrimSpace(text)
	for i, dst := range []*int{&v.Major, &v.Minor, &v.Patch} {
		if i > 0 {
			var ok bool
			if rest, ok = strings.CutPrefix(rest, "."); !ok {
				break
			}
		}
		end := 0
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		if end == 0 {
			break
		}
		*dst, _ = strconv.Atoi(rest[:end])
		rest = rest[end:]
	}
	return v
}

// String is the server's text.
func (v Version) String() string { return v.Text }

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// ForServer returns the dialect to render for on a server whose version text is version,
// given the dialect the URL named: the URL names a protocol, the server says what it speaks.
//
//   - MySQL or MariaDB: MariaDB when the server says MariaDB (INSERT/DELETE ... RETURNING from
//     10.5), MySQL otherwise, whichever of mysql:// and mariadb:// the URL said.
//   - SQLite: RETURNING from 3.35 only.
//
// Any other dialect, an application's own included, is returned as it is.
func ForServer(d Dialect, version string) Dialect {
	v := ParseVersion(version)
	switch d {
	case MySQL, MariaDB:
		if !strings.Contains(version, "MariaDB") {
			return MySQL
		}
		if v.Major != 0 && !v.AtLeast(10, 5) {
			return MariaDB104
		}
		return MariaDB
	case SQLite:
		if v.Major != 0 && !v.AtLeast(3, 35) {
			return sqlite{noReturning: true}
		}
	}
	return d
}

// MariaDB104 is MariaDB before 10.5: DELETE ... RETURNING (10.0.5) but no INSERT ... RETURNING.
var MariaDB104 Dialect = mysql{name: "mariadb", caps: &mariadb104Caps}

var mariadb104Caps = func() Capabilities {
	c := mariadbCaps
	c.InsertReturning = false
	return c
}()
