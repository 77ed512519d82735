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

func TestTableTokenRoundTrip(t *testing.T) {
	all, _ := parsePGPosition("0/100")
	orders, _ := parsePGPosition("0/300")
	odd, _ := parseGTIDPosition("0-1-5")
	tables := map[string]Position{"orders": orders, `we"ird;=&name`: odd}
	tok := tableToken(all, tables)
	if !isTableToken(tok) || tok != tableToken(all, tables) {
		t.Fatalf("token %q: not a stable per-table token", tok)
	}
	gotAll, got, err := parseTableToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	if gotAll.Token() != all.Token() || len(got) != 2 || got["orders"].Token() != orders.Token() ||
		got[`we"ird;=&name`].Token() != odd.Token() {
		t.Errorf("token %q read back as %v, %v", tok, gotAll, got)
	}
	if tableToken(Position{}, nil) != "" {
		t.Error("a session that wrote nothing has a token")
	}
	for _, bad := range []string{"tables:orders=pg:zz", "tables:%zz", "tables:a=pg:0/1&a=pg:0/2"} {
		if _, _, err := parseTableToken(bad); err == nil {
			t.Errorf("parseTableToken(%q) succeeded", bad)
		}
	}
}

// The positions a per-table session needs: a read waits for the tables it reads, writes of
// unknown tables count for every read, reads of unknown tables wait for everything.
func TestTrackerNeedsPerTable(t *testing.T) {
	p1, _ := parsePGPosition("0/100")
	p2, _ := parsePGPosition("0/200")
	tr := &tracker{perTable: true, pos: p2, all: Position{}, tables: map[string]Position{"orders": p2, "users": p1}}
	need := func(tables ...string) string { return tr.needFor(tables).Token() }
	if got := need("products"); got != "" {
		t.Errorf("a read of an unwritten table needs %q", got)
	}
	if got := need("users", "products"); got != p1.Token() {
		t.Errorf("a read of users needs %q, want %q", got, p1.Token())
	}
	if got := need("users", "orders"); got != p2.Token() {
		t.Errorf("a read of users and orders needs %q, want %q", got, p2.Token())
	}
	if got := need(); got != p2.Token() {
		t.Errorf("a read that names no tables needs %q, want the session's %q", got, p2.Token())
	}
	tr.all = p1
	if got := need("products"); got != p1.Token() {
		t.Errorf("after a write of unknown tables a read of products needs %q, want %q", got, p1.Token())
	}
}

// An insert location just past a WAL page header is where a standby that replayed the last
// record stands only once moved back to the page's start; any other location stays.
func TestBeforePageHeader(t *testing.T) {
	const block, segment = 8192, 16 << 20
	for _, c := range []struct{ in, want string }{
		{"0/3002018", "0/3002000"}, // short header of a page inside a segment
		{"0/4000028", "0/4000000"}, // long header of a segment's first page
		{"1/28", "1/0"},            // a segment starting at 1/0
		{"0/3002020", "0/3002020"}, // a record's end after a short header: stays
		{"0/3000018", "0/3000018"}, // 24 bytes into a segment's first page: not a header's end
		{"0/3000148", "0/3000148"}, // anywhere else
		{"0/3002000", "0/3002000"}, // a page's start
	} {
		p, err := parsePGPosition(c.in)
		if err != nil {
			t.Fatal(err)
		}
		got := p.beforePageHeader(block, segment)
		if got.String() != c.want {
			t.Errorf("%s: %s; want %s", c.in, got, c.want)
		}
		if want, _ := parsePGPosition(c.want); got.lsn != want.lsn || !got.Covers(want) || !want.Covers(got) {
			t.Errorf("%s: %+v is not the position %s", c.in, got, c.want)
		}
	}
	if p, _ := parsePGPosition("0/3002018"); p.beforePageHeader(0, 0).String() != p.String() {
		t.Error("with the page sizes unknown the position must stay")
	}
}
