package replica

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// A Position is a point in the primary's write history: a PostgreSQL WAL location
// ("0/3000148", from pg_current_wal_insert_lsn()) or a MariaDB GTID set ("0-1-42,1-2-7", from
// @@gtid_binlog_pos). A replica that has replayed a position has every write committed before
// the primary reported it. The zero Position is before every write.
type Position struct {
	text string
	// lsn is a PostgreSQL position; gtids a MariaDB one (domain -> sequence number).
	lsn   uint64
	gtids map[uint64]uint64
	pg    bool
}

// IsZero reports whether p is the zero Position.
func (p Position) IsZero() bool { return p.text == "" }

// String is the engine's own text of the position.
func (p Position) String() string { return p.text }

// parsePGPosition reads PostgreSQL's "X/Y" WAL location.
func parsePGPosition(s string) (Position, error) {
	hi, lo, ok := strings.Cut(s, "/")
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if !ok || err1 != nil || err2 != nil {
		return Position{}, fmt.Errorf("replica: %q is not a PostgreSQL WAL location (X/Y in hexadecimal)", s)
	}
	return Position{text: s, lsn: h<<32 | l, pg: true}, nil
}

// WAL page headers: the long one starts a segment, the short one every other page (their
// sizes MAXALIGNed, as on every 64-bit server).
const (
	pgShortPageHeader = 24
	pgLongPageHeader  = 40
)

// beforePageHeader moves a PostgreSQL insert location that stands just past a WAL page header
// (the last record ended at the end of a page) back to the page's start: that is where a
// standby that has replayed the record reports itself (pg_last_wal_replay_lsn() is the end of
// the last record), and no record lies between. Else such a standby would not cover the
// position until the primary wrote again: tracked reads would wait and go to the primary,
// and the lag of an idle primary's replicas would grow without end. block and segment are the
// server's wal_block_size and wal_segment_size; with either unknown (0), p is left as it is.
func (p Position) beforePageHeader(block, segment int64) Position {
	if !p.pg || block <= 0 || segment <= 0 {
		return p
	}
	inSegment := p.lsn % uint64(segment)
	var back uint64
	switch {
	case inSegment == pgLongPageHeader:
		back = pgLongPageHeader
	case inSegment >= uint64(block) && p.lsn%uint64(block) == pgShortPageHeader:
		back = pgShortPageHeader
	default:
		return p
	}
	lsn := p.lsn - back
	return Position{text: fmt.Sprintf("%X/%X", lsn>>32, uint32(lsn)), lsn: lsn, pg: true}
}

// parseGTIDPosition reads MariaDB's GTID list "domain-server-seq[,...]"; "" is the start.
func parseGTIDPosition(s string) (Position, error) {
	p := Position{text: s, gtids: map[uint64]uint64{}}
	if s == "" {
		p.text = "-" // a known, empty position: not the zero Position
		return p, nil
	}
	for _, part := range strings.Split(s, ",") {
		f := strings.Split(strings.TrimSpace(part), "-")
		if len(f) != 3 {
			return Position{}, fmt.Errorf("replica: %q is not a MariaDB GTID list (domain-server-sequence, ...)", s)
		}
		d, err1 := strconv.ParseUint(f[0], 10, 32)
		_, err2 := strconv.ParseUint(f[1], 10, 32)
		n, err3 := strconv.ParseUint(f[2], 10, 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return Position{}, fmt.Errorf("replica: %q is not a MariaDB GTID list: %w", s, err)
		}
		if n > p.gtids[d] {
			p.gtids[d] = n
		}
	}
	return p, nil
}

// Covers reports whether a replica at p has replayed everything up to q. Every replica covers
// the zero Position; positions of different engines never cover each other.
func (p Position) Covers(q Position) bool {
	if q.IsZero() {
		return true
	}
	if p.IsZero() || p.pg != q.pg {
		return false
	}
	if p.pg {
		return p.lsn >= q.lsn
	}
	for d, n := range q.gtids {
		if p.gtids[d] < n {
			return false
		}
	}
	return true
}

// gtidText is the GTID list for MASTER_GTID_WAIT ("" for the empty position).
func (p Position) gtidText() string {
	if p.text == "-" {
		return ""
	}
	return p.text
}

// Token is p in a form to carry in a cookie or a header and read back with ParseToken:
// "pg:0/3000148" or "my:0-1-42". It holds no secret, only a position.
func (p Position) Token() string {
	switch {
	case p.IsZero():
		return ""
	case p.pg:
		return "pg:" + p.text
	}
	return "my:" + p.text
}

// ParseToken reads a token made by Position.Token. The empty token is the zero Position.
func ParseToken(token string) (Position, error) {
	if token == "" {
		return Position{}, nil
	}
	kind, text, _ := strings.Cut(token, ":")
	switch kind {
	case "pg":
		return parsePGPosition(text)
	case "my":
		if text == "-" {
			text = ""
		}
		return parseGTIDPosition(text)
	}
	return Position{}, fmt.Errorf("replica: token %q is not a position token (pg:... or my:...)", token)
}

// tablePrefix starts a TrackTables token: "tables:" then a query string of table=position
// tokens, "*" holding the position every read must see.
const tablePrefix = "tables:"

func isTableToken(token string) bool { return strings.HasPrefix(token, tablePrefix) }

// tableToken writes all and the per-table positions as a token (sorted, so one session gives
// one token).
func tableToken(all Position, tables map[string]Position) string {
	v := url.Values{}
	if !all.IsZero() {
		v.Set("*", all.Token())
	}
	for t, p := range tables {
		v.Set(t, p.Token())
	}
	if len(v) == 0 {
		return ""
	}
	return tablePrefix + v.Encode()
}

// parseTableToken reads a token made by tableToken.
func parseTableToken(token string) (all Position, tables map[string]Position, err error) {
	v, err := url.ParseQuery(strings.TrimPrefix(token, tablePrefix))
	if err != nil {
		return Position{}, nil, fmt.Errorf("replica: token %q is not a per-table position token: %w", token, err)
	}
	tables = map[string]Position{}
	for t, toks := range v {
		if len(toks) != 1 {
			return Position{}, nil, fmt.Errorf("replica: token %q names table %q %d times", token, t, len(toks))
		}
		p, err := ParseToken(toks[0])
		if err != nil {
			return Position{}, nil, err
		}
		if t == "*" {
			all = p
		} else {
			tables[t] = p
		}
	}
	return all, tables, nil
}
