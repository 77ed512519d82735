package expr

import (
	"strings"
	"testing"
)

// TestTextRunWritesEveryLength checks the writer's two ways of copying a textRun: from its
// array, for a text that fits it into a buffer with room for the whole array, and from its
// string otherwise (a text longer than the array, a buffer short of spare room).
func TestTextRunWritesEveryLength(t *testing.T) {
	for _, n := range []int{1, 7, 16, textRunLen - 1, textRunLen, textRunLen + 1, 100} {
		text := strings.Repeat("x", n)
		r := newTextRun(text)
		for _, spare := range []int{0, 1, textRunLen - 1, textRunLen, 2 * textRunLen} {
			w := &Writer{buf: make([]byte, 3, 3+spare)}
			copy(w.buf, "ab.")
			fromArray := w.tryRun(&r)
			if !fromArray {
				w.Text(r.s)
			}
			if got, want := string(w.buf), "ab."+text; got != want {
				t.Errorf("text of %d bytes, %d spare: wrote %q, want %q", n, spare, got, want)
			}
			if want := n <= textRunLen && spare >= textRunLen; fromArray != want {
				t.Errorf("text of %d bytes, %d spare: written from the array %v, want %v", n, spare, fromArray, want)
			}
		}
	}
}
