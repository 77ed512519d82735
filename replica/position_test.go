package replica

import "testing"

func TestPositionCoversAndTokens(t *testing.T) {
	must := func(p Position, err error) Position {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := must(parsePGPosition("0/3000148")), must(parsePGPosition("1/0"))
	if !b.Covers(a) || a.Covers(b) || !a.Covers(a) || !a.Covers(Position{}) || (Position{}).Covers(a) {
		t.Error("PostgreSQL positions: wrong order")
	}
	g1, g2 := must(parseGTIDPosition("0-1-42")), must(parseGTIDPosition("0-1-41,1-2-7"))
	if g1.Covers(g2) || g2.Covers(g1) || !must(parseGTIDPosition("0-1-42,1-2-7")).Covers(g2) {
		t.Error("GTID positions: a missing domain or a lower sequence must not cover")
	}
	if a.Covers(g1) || g1.Covers(a) {
		t.Error("positions of different engines cover each other")
	}
	for _, p := range []Position{a, g2, must(parseGTIDPosition("")), {}} {
		back, err := ParseToken(p.Token())
		if err != nil || !back.Covers(p) || !p.Covers(back) {
			t.Errorf("token %q: read back as %q, %v", p.Token(), back.Token(), err)
		}
	}
	for _, bad := range []string{"xx:1", "pg:zz", "my:1-2", "pg:"} {
		if _, err := ParseToken(bad); err == nil {
			t.Errorf("ParseToken(%q) succeeded", bad)
		}
	}
}
