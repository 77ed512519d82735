package expr

import (
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/typedsql/typedsql/dialect"
)

// A Shape is what a statement's SQL text depends on, as a list of words: the statement's
// structure, and the identity of every table and column in it, but not its bound values. Two
// statements of the same shape render the same SQL for a dialect and differ only in their
// arguments, so the text rendered for one shape is kept (see RenderShaped) and a statement
// of a known shape skips the rendering walk: its arguments are gathered while the shape is
// computed, which needs no dynamic dispatch for conditions and writes no text.
//
// This is SQLAlchemy's compiled cache brought to Go: an application builds the same few
// hundred statement shapes over and over with different values.
//
// Only statements built of parts whose SQL is fixed by their identity have a shape: columns,
// aggregates of columns and tables, declared once and never changed, and bound values. Any
// other part (a subquery, a function call, arithmetic, Raw, an alias, an expression type from
// outside the package) makes the shape unknown, and the statement is rendered as before. So
// does a statement with more parts or arguments than a Shape holds.
//
// A Shape is filled on the stack by a statement's shape walk, which visits the parts in the
// order its writing walk writes them, so that the arguments are gathered in placeholder
// order. Both walks are generated from one source (expr/walk.go, the builder package's
// walk.go; see internal/walkgen): a part's words and its text come from the same lines.
type Shape struct {
	// words are 32 bits: every word a statement writes fits (a part's word with a larger
	// id, a count or LIMIT of 2^32 or more makes the shape unknown), and the key is half
	// the bytes of 64-bit words to zero, hash and compare.
	words [shapeWords]uint32
	n     int
	args  [shapeArgs]any
	nargs int
	bad   bool
	// dialect is the number of the dialect rendered for (see For); 0: not cached.
	dialect uint64
}

const (
	shapeWords = 48
	shapeArgs  = 16
)

// The low bits of a part's word say what it is; the rest is its identity.
const (
	partColumn  = iota + 1 // a column: its id
	partAgg                // an aggregate of a column: the column's id and the function
	partArg                // a bound value
	partNull               // NULL
	partDefault            // DEFAULT
	partTable              // a table: its id
	partOp                 // a condition's operator (see WalkConds in walk.go)
	partBits    = 4
)

// shapeIDs numbers the tables and columns as they are declared. An id is never reused, so a
// cached shape cannot match a descriptor declared after an earlier one was collected.
var shapeIDs atomic.Uint64

func newShapeID() uint64 { return shapeIDs.Add(1) }

// Unknown marks the shape unknown: the statement has a part it cannot describe.
func (k *Shape) Unknown() { k.bad = true }

// Word appends w: a statement kind, a flag set, a count, a LIMIT.
func (k *Shape) Word(w uint64) {
	if w > math.MaxUint32 {
		k.bad = true
		return
	}
	k.put(uint32(w))
}

// put appends w. (>= rather than ==: the one comparison lets the compiler drop the bounds
// check of the store; callgrind, BenchmarkRender warm, instructions per build+render in the
// project's own code: Q1 877 -> 868, Q2 2135 -> 2102.)
func (k *Shape) put(w uint32) {
	if uint(k.n) >= shapeWords {
		k.bad = true
		return
	}
	k.words[k.n] = w
	k.n++
}

// put2 appends a and b with one check of the count: the two words of a condition on a
// column (callgrind, BenchmarkRender warm, instructions per build+render in the project's
// own code: Q1 868 -> 864, Q2 2102 -> 2082).
func (k *Shape) put2(a, b uint32) {
	n := uint(k.n)
	if n >= shapeWords-1 {
		k.bad = true
		return
	}
	k.words[n], k.words[n+1] = a, b
	k.n = int(n + 2)
}

// count appends the length of a list; a list longer than a shape holds makes it unknown.
func (k *Shape) count(n int) {
	if uint(n) > shapeWords {
		k.bad = true
		return
	}
	k.put(uint32(n))
}

// key is the words written, read eight bytes at a time: the words after the last are zero (a
// Shape starts zeroed and only grows), so an odd count ends with a zero word, and a lookup
// compares the counts too. Hashing and comparing 64-bit words in a loop costs less than
// maphash and memequal on keys this short. Measured with callgrind in BenchmarkRender
// (warm, instructions per build+render, maphash and memequal on the key as bytes against
// this): Q1 (13 words) 1592 -> 1549, Q3 1975 -> 1955, Q4 2000 -> 1949, Q2 (38 words)
// 4046 -> 4078. The array pointer's slice checks one bound where unsafe.Slice checked its
// length twice (in the project's own code, per build+render: Q1 852 -> 846, Q2 2086 -> 2088).
func (k *Shape) key() []uint64 {
	return (*[shapeWords / 2]uint64)(unsafe.Pointer(&k.words))[:uint(k.n+1)/2]
}

// Int appends n (a LIMIT or OFFSET count, written as a literal). A negative count, an error
// to render, is left to the writer.
func (k *Shape) Int(n int64) {
	if n < 0 {
		k.bad = true
		return
	}
	k.Word(uint64(n))
}

func (k *Shape) arg(v any) {
	k.put(partArg)
	k.gather(v)
}

// gather keeps v, a bound value whose word was put.
func (k *Shape) gather(v any) {
	n := k.nargs
	if uint(n) >= uint(len(k.args)) {
		k.bad = true
		return
	}
	k.args[n] = v
	k.nargs = n + 1
}

// part appends the word of a part whose SQL its identity fixes; a part without one (word 0)
// makes the shape unknown.
func (k *Shape) part(w uint32) {
	if w == 0 {
		k.bad = true
		return
	}
	k.put(w)
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// operand appends a node that is a comparison's operand or an assigned value: a column, an
// aggregate, NULL, DEFAULT, or a bound value.
func (k *Shape) operand(n node) {
	switch x := n.x.(type) {
	case *column:
		k.part(x.shapeWord())
	case *aggCol: // never nil: made only with a column, or countStar
		k.part(x.word)
	case nullNode:
		k.put(partNull)
	case defaultNode:
		k.put(partDefault)
	case nilValue:
		k.arg(nil)
	case nodeWriter, nil:
		k.bad = true
	default:
		k.arg(x)
	}
}

// shaped is implemented by the expressions whose shape is one word: Column, Nullable, Expr.
type shaped interface {
	shapeWord() uint32
}

// shapeWord is n's word when n is a part fixed by its identity, else 0.
func (n node) shapeWord() uint32 {
	switch x := n.x.(type) {
	case *column:
		return x.shapeWord()
	case *aggCol:
		return x.word
	case nullNode:
		return partNull
	case defaultNode:
		return partDefault
	}
	return 0
}

func (c *column) shapeWord() uint32 {
	if c == nil {
		return 0 // an error to render; the writer reports it
	}
	return c.word // 0 if its table is invalid
}

// setWords gives a column of a valid table its words in a Shape, its own and its aggregates'.
// A column whose id does not fit a word (after 2^25 declarations) keeps word 0: statements
// with it are rendered every time.
func (c *column) setWords() {
	if c.id >= 1<<(32-partBits-3) {
		return
	}
	c.word = uint32(c.id)<<partBits | partColumn
	for i := range c.aggs {
		c.aggs[i].word = uint32(c.id)<<(partBits+3) | uint32(c.aggs[i].fn)<<partBits | partAgg
	}
}

func (c Column[T]) shapeWord() uint32   { return c.c.shapeWord() }
func (c Nullable[T]) shapeWord() uint32 { return c.c.shapeWord() }
func (e Expr[T]) shapeWord() uint32     { return e.node().shapeWord() }

// shapeWord is made once, by bind (callgrind, BenchmarkRender warm, instructions per
// build+render in the project's own code, against checking the table here each time:
// Q1 846 -> 840, Q2 2088 -> 2076).
func (t Table) shapeWord() uint32 {
	if t.t == nil {
		return 0
	}
	return t.t.word
}

// setWord gives a valid table its word in a Shape. A table whose id does not fit a word
// (after 2^28 declarations) keeps word 0: statements with it are rendered every time.
func (t *tableInfo) setWord() {
	if t.id < 1<<(32-partBits) {
		t.word = uint32(t.id)<<partBits | partTable
	}
}

func (derived) shapeWord() uint32 { return 0 }

// The rendered texts of known shapes, in a setCache like the interned texts (see internSQL):
// bounded in number, lock-free to read, of immutable entries.
var shapeTexts = newSetCache[shapeEntry](512) // sets of four

// shapeEntry heads the kept text of a shape: one pointer-free allocation of words, this
// header, then the shape's key (sameKey), then the text's bytes (text), as the interned
// texts are (see internedText). One allocation rather than an entry with its key and a string
// of the text: a first render pays one allocation for the shape instead of two, and the
// collector never scans it. Measured with callgrind in BenchmarkRender (first render,
// instructions per build+render): Q1 3440 -> 3208, Q2 8670 -> 8347. A hit reads the key and
// text at their offsets, which costs it no more than reading them from fields did (warm
// Q1 1367 -> 1375, Q2 3936 -> 3956, within the measurement's spread).
type shapeEntry struct {
	hash uint64
	tag  uint64 // see shapeTag
	// the text's offset from the entry, and its length; its offset is kept rather than
	// computed from the key's length so that a hit reads it as it would a string's pointer.
	toff, ntext uint32
}

const shapeHeader = unsafe.Sizeof(shapeEntry{})

// sameKey reports whether the entry's key is key, which has as many words as the entry's (a
// lookup compares the tags, which hold the word counts, first). Word by word from the entry's
// address, not through unsafe.Slice, whose length checks cost a hit 8 instructions more.
func (e *shapeEntry) sameKey(key []uint64) bool {
	p := unsafe.Add(unsafe.Pointer(e), shapeHeader)
	for i, x := range key {
		if *(*uint64)(unsafe.Add(p, uintptr(i)*8)) != x {
			return false
		}
	}
	return true
}

// text is the SQL text rendered for the shape.
func (e *shapeEntry) text() string {
	return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(e), e.toff)), e.ntext)
}

// shapeTag is what a lookup compares besides the hash and the key, in one word: the dialect,
// the number of words (a key read eight bytes at a time ends in a zero word for an odd
// count, which an even count's last word may also be) and of arguments. One comparison
// instead of three, and one field instead of three; it saves about one instruction per
// render (callgrind, BenchmarkRender warm, in the project's own code: Q1 883 -> 882).
func shapeTag(dialect uint64, k *Shape) uint64 {
	return dialect | uint64(k.n)<<8 | uint64(k.nargs)<<16
}

// Each number in a tag fits its byte, or this fails to compile.
const _ = uint8(len(dialect.Builtin)) | uint8(shapeWords) | uint8(shapeArgs)

// dialectID below is unrolled for dialect.Builtin's four dialects: another number of them
// fails to compile here, rather than leave one silently uncached.
var _ = [1]struct{}{}[len(dialect.Builtin)-4]

func dialectID(d dialect.Dialect) uint64 {
	// Unrolled: the loop over the array cost about 25 instructions a render for the first
	// dialect (callgrind, BenchmarkRender warm Q1: 1404 -> 1391 unrolled).
	switch {
	case sameDialect(d, dialect.Builtin[0]):
		return 1
	case sameDialect(d, dialect.Builtin[1]):
		return 2
	case sameDialect(d, dialect.Builtin[2]):
		return 3
	case sameDialect(d, dialect.Builtin[3]):
		return 4
	}
	return 0 // a dialect of the application's: rendered every time
}

// For readies k for a statement to be rendered for d and reports whether the cache serves d:
// if not, the statement need not describe its shape, and RenderShaped renders it.
//
//	var k expr.Shape
//	if k.For(d) {
//		s.walkKey(&k) // the statement's shape walk (see walk.go)
//	}
//	return expr.Plumbing.RenderShaped(d, &k, s.writeWhole) // its writing walk
func (k *Shape) For(d dialect.Dialect) bool {
	k.dialect = dialectID(d)
	return k.dialect != 0
}

// RenderShaped is renderWith for a statement whose shape k describes: a statement of a shape
// rendered before for d gets that SQL text and the arguments gathered in k, without writing
// anything. Otherwise it renders with write, and keeps the text for the shape. k must have
// been readied with For(d).
func (plumbing) RenderShaped(d dialect.Dialect, k *Shape, write func(*Writer)) (string, []any, error) {
	id := k.dialect
	if k.bad || id == 0 {
		return renderWith(d, write)
	}
	key, tag := k.key(), shapeTag(id, k)
	h := shapeHash(id, key)
	if e := lookupShape(h, tag, key); e != nil {
		var args []any
		if k.nargs > 0 {
			// make and copy together, which the compiler makes one call (makeslicecopy): one
			// memmove instead of a store and a write-barrier check per argument (callgrind,
			// BenchmarkRender warm, against the loop: Q1 1368 -> 1368, Q2 3662 -> 3636).
			gathered := k.args[:k.nargs]
			args = make([]any, len(gathered))
			copy(args, gathered)
		}
		return e.text(), args, nil
	}
	return renderShape(d, write, h, tag, k)
}

// renderShape renders a statement of a shape not seen before with write and keeps its text
// for the shape, whose hash is h. The arguments are written straight into a slice of the
// length the shape gathered, which is returned: no copy, and nothing to clear in the writer
// (callgrind, BenchmarkRender first render: Q1 3208 -> 3151, Q2 8347 -> 8313).
func renderShape(d dialect.Dialect, write func(*Writer), h, tag uint64, k *Shape) (sql string, args []any, err error) {
	w := acquire(d)
	if k.nargs > 0 {
		w.args, w.direct, w.exact = make([]any, 0, k.nargs), true, true
	}
	walked := false
	defer w.recoverRender(&walked, &err) // see recoverRender
	write(w)
	walked = true
	w.checkArgCount()
	if w.err != nil {
		err = w.err
		release(w)
		return "", nil, err
	}
	args = w.takeArgs()
	// A text too long for the entry's 32-bit length (no real statement) is not kept.
	if len(w.buf) <= math.MaxUint32/2 && sameArgTypes(args, k.args[:k.nargs]) {
		e := newShapeEntry(h, tag, k, w.buf)
		shapeTexts.add(h, e)
		sql = e.text()
	} else {
		sql = internSQL(w.buf)
	}
	release(w)
	return sql, args, nil
}

// newShapeEntry makes the entry of a shape of k's key, its hash h and tag (see shapeTag),
// whose text is sql (copied: the writer's buffer).
func newShapeEntry(h, tag uint64, k *Shape, sql []byte) *shapeEntry {
	key := k.key()
	words := make([]uint64, shapeHeader/8+uintptr(len(key))+(uintptr(len(sql))+7)/8)
	e := (*shapeEntry)(unsafe.Pointer(&words[0]))
	e.hash, e.tag = h, tag
	e.toff, e.ntext = uint32(shapeHeader)+uint32(len(key))*8, uint32(len(sql))
	copy(words[shapeHeader/8:], key)
	copy(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(e), e.toff)), len(sql)), sql)
	return e
}

// shapeHash hashes a shape's key for dialect id.
func shapeHash(id uint64, key []uint64) uint64 {
	h := id
	for _, x := range key {
		h = (h ^ x) * 0x9E3779B97F4A7C15 // the golden-ratio multiplier: spreads ids well
	}
	return h ^ h>>32
}

// lookupShape finds the entry of a shape's key and tag (see shapeTag); h is their hash.
func lookupShape(h, tag uint64, key []uint64) *shapeEntry {
	set := shapeTexts.set(h)
	for i := range set {
		e := set[i].Load()
		if e == nil { // none after an empty slot (see setCache)
			return nil
		}
		if e.hash == h && e.tag == tag && e.sameKey(key) {
			return e
		}
	}
	return nil
}

// sameArgTypes checks the gathered arguments against the rendered ones, argument by argument
// by dynamic type: a statement whose shape gathered anything else is not kept. (The values
// themselves may be boxed afresh by the writer, so their words differ.) It runs only when a
// shape is first rendered. The type words are compared as they are stored: through
// reflect.TypeOf each argument cost about 30 instructions, spilling both interfaces (callgrind,
// BenchmarkRender first render, instructions in renderShape and sameArgTypes: Q1 153 -> 121,
// Q2, of four arguments, 234 -> 151).
func sameArgTypes(rendered, gathered []any) bool {
	if len(rendered) != len(gathered) {
		return false
	}
	for i := range rendered {
		if typeWord(&rendered[i]) != typeWord(&gathered[i]) {
			return false
		}
	}
	return true
}

// typeWord is the first word of *x, its dynamic type (nil for a nil interface).
func typeWord(x *any) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(x))
}
