package expr

import (
	"testing"

	"github.com/typedsql/typedsql/dialect"
)

// TestShapeKeysOfOneWordMoreDiffer: a key is read eight bytes at a time, so a shape of an odd
// number of words and the same words followed by a zero word have the same key bytes; the
// count of words must tell them apart.
func TestShapeKeysOfOneWordMoreDiffer(t *testing.T) {
	base := shapeIDs.Add(1) // a word no other test uses
	shape := func(words ...uint64) *Shape {
		k := &Shape{}
		k.For(dialect.SQLite)
		for _, w := range words {
			k.Word(w)
		}
		return k
	}
	render := func(k *Shape, text string) string {
		sql, _, err := Plumbing.RenderShaped(dialect.SQLite, k, func(w *Writer) { w.Text(text) })
		if err != nil {
			t.Fatal(err)
		}
		return sql
	}
	for round := range 2 { // first renders, then served from the cache
		if got := render(shape(base), "SELECT 1"); got != "SELECT 1" {
			t.Errorf("round %d: one word got %q", round, got)
		}
		if got := render(shape(base, 0), "SELECT 2"); got != "SELECT 2" {
			t.Errorf("round %d: the word and a zero word got %q", round, got)
		}
	}
}

// TestShapeWordsBeyond32Bits: a part, count or LIMIT that does not fit a 32-bit word makes the
// shape unknown (rendered every time) rather than being cut to one that fits.
func TestShapeWordsBeyond32Bits(t *testing.T) {
	c := &column{id: 1 << 25}
	c.setWords()
	if c.word != 0 || c.aggs[fnCount].word != 0 {
		t.Errorf("column id 2^25: words %d, %d, want 0 (no word)", c.word, c.aggs[fnCount].word)
	}
	c = &column{id: 1<<25 - 1}
	c.setWords()
	if c.word == 0 || c.aggs[fnMax].word == 0 {
		t.Errorf("column id 2^25-1: words %d, %d, want words", c.word, c.aggs[fnMax].word)
	}
	if w := (Table{t: &tableInfo{id: 1 << 28}}).shapeWord(); w != 0 {
		t.Errorf("table id 2^28: word %d, want 0", w)
	}
	for _, tc := range []struct {
		name string
		f    func(k *Shape)
	}{
		{"Word(2^32)", func(k *Shape) { k.Word(1 << 32) }},
		{"Int(2^32+1)", func(k *Shape) { k.Int(1<<32 + 1) }},
		{"Int(-1)", func(k *Shape) { k.Int(-1) }},
	} {
		var k Shape
		tc.f(&k)
		if !k.bad {
			t.Errorf("%s: the shape is not unknown", tc.name)
		}
	}
	var k Shape
	k.Word(1<<32 - 1)
	k.Int(1<<32 - 1)
	if k.bad || k.n != 2 {
		t.Errorf("2^32-1 twice: bad %v, %d words, want two words", k.bad, k.n)
	}
}
