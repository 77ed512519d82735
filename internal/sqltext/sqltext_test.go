package sqltext

import "testing"

func TestSkip(t *testing.T) {
	for in, want := range map[string]string{
		"  SELECT 1":                    "SELECT 1",
		"-- note\nBEGIN":                "BEGIN",
		"# mysql note\n\tCOMMIT":        "COMMIT",
		"/* a */ /* b */ROLLBACK":       "ROLLBACK",
		"-- no end of line":             "",
		"/* unterminated":               "",
		"\r\n\f\v-- x\n/* y */ -- z\nX": "X",
		"":                              "",
	} {
		if got := Skip(in); got != want {
			t.Errorf("Skip(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestLeading(t *testing.T) {
	for _, c := range []struct{ in, word, rest string }{
		{"/* x */ BEGIN IMMEDIATE", "BEGIN", " IMMEDIATE"},
		{"rollback;", "rollback", ";"},
		{"  (SELECT 1)", "", "(SELECT 1)"},
		{"SAVEPOINT", "SAVEPOINT", ""},
		{"-- only a comment", "", ""},
	} {
		w, rest := Leading(c.in)
		if w != c.word || rest != c.rest {
			t.Errorf("Leading(%q) = %q, %q; want %q, %q", c.in, w, rest, c.word, c.rest)
		}
	}
}

func TestSeveral(t *testing.T) {
	for in, want := range map[string]bool{
		"SELECT 1":                        false,
		"SELECT 1;":                       false,
		"SELECT 1; -- done":               false,
		"SELECT 1; SELECT 2":              true,
		"SELECT ';'; ":                    false,
		`SELECT "a;b", 'c;d', ` + "`e;f`": false,
		"INSERT INTO t VALUES (';'); DELETE FROM t": true,
		"-- it's\nSELECT 1; SELECT 2":               true,
	} {
		if got := Several(in); got != want {
			t.Errorf("Several(%q) = %v; want %v", in, got, want)
		}
	}
	if got := StatementEnd("SELECT 'x;y'; z"); got != 12 {
		t.Errorf("StatementEnd = %d; want 12", got)
	}
	if got := StatementEnd("SELECT 1"); got != -1 {
		t.Errorf("StatementEnd without a semicolon = %d; want -1", got)
	}
}

func TestContainsFold(t *testing.T) {
	for _, c := range []struct {
		s, sub string
		want   bool
	}{
		{"SET AUTOCOMMIT = 0", "autocommit", true},
		{"set @@autocommit=1", "autocommit", true},
		{"SELECT auto", "autocommit", false},
		{"", "x", false},
	} {
		if got := ContainsFold(c.s, c.sub); got != c.want {
			t.Errorf("ContainsFold(%q, %q) = %v; want %v", c.s, c.sub, got, c.want)
		}
	}
}

// Keywords count only as bare words: quoted identifiers and string literals do not, and a
// word that merely contains one (updated_at) does not either.
func TestHasKeyword(t *testing.T) {
	for text, want := range map[string]bool{
		`SELECT "update" FROM t`:                                false,
		`SELECT 'delete' FROM t`:                                false,
		"SELECT `insert` FROM t":                                false,
		`SELECT x FROM t FOR NO KEY UPDATE`:                     true,
		`WITH d AS (delete FROM t RETURNING x) SELECT x FROM d`: true,
		`SELECT updated_at, "for" FROM t`:                       false,
		`SELECT $update FROM t`:                                 false,
		`SELECT x FROM t for share`:                             true,
	} {
		if got := HasKeyword(text, "FOR", "INSERT", "UPDATE", "DELETE", "MERGE"); got != want {
			t.Errorf("HasKeyword(%q) = %v; want %v", text, got, want)
		}
	}
}
