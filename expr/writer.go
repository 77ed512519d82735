package expr

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/internal/render"
)

// Expression is anything that renders itself as SQL: columns, typed expressions, conditions,
// and the builders' statements (which is how subqueries nest). WriteSQL appends to w and never
// panics; what it cannot render it reports with w.Fail.
type Expression interface {
	WriteSQL(w *Writer)
}

// Query is a complete statement usable as a subquery: the builders' SELECT and set operations.
// Tables lists the tables it reads (see the builder package).
type Query interface {
	Expression
	Tables() []string
}

// Writer is the single-pass SQL writer: one byte buffer and one argument slice shared by a
// statement and everything nested in it. Placeholders are numbered from the arguments already
// written, so subqueries, CTEs and set operations number correctly on PostgreSQL without any
// renumbering pass. The first error is kept and later writes continue harmlessly, so writers
// need no early returns.
//
// Applications use Render or the builders' Build. Writer is exported so that an application
// can write an expression of its own, as bob and sq allow: the Expression interface's WriteSQL
// takes a Writer. For that, the methods to use are Text and Char (trusted SQL text), Ident (a
// quoted identifier), Arg (a bound value), Int, WriteList (nested expressions), Dialect and
// Caps (what the engine can do), and Fail, Unsupported and Err (errors). The builder package's
// statements drive it further through Plumbing.
//
//	// payload ->> $1   (PostgreSQL's JSON field operator)
//	type jsonField struct{ doc expr.Expression; key string }
//
//	func (j jsonField) WriteSQL(w *expr.Writer) {
//		j.doc.WriteSQL(w)
//		w.Text(" ->> ")
//		w.Arg(j.key)
//	}
type Writer struct {
	buf  []byte
	args []any
	// pool is the writer's own args storage, kept across renders; args is pool[:n], or the
	// caller's storage while direct (see RenderTo), or a first render's own (see renderShape).
	pool   []any
	direct bool
	exact  bool // args, direct, were made for exactly the arguments of a shape (renderShape)
	d      dialect.Dialect
	caps   dialect.Capabilities // d's, copied when d changes
	f      render.Frame         // the clause being written, and how column references are qualified
	err    *BuildError
	qs     int          // index of the dialect's quote character in quoteStyles, or -1
	ctes   []*tableInfo // CTE names in effect; not tables for Tables()
	debug  bool         // write values as literals (Debug)
	// writing: a walk is under way (see recoverPanic)
	writing bool
	// collect: record the tables written as sources (TablesOf).
	collect bool
	tables  []string
}

var writers = sync.Pool{New: func() any {
	args := make([]any, 0, 32)
	return &Writer{buf: make([]byte, 0, 1024), args: args, pool: args}
}}

// The pool keeps buffers up to these sizes; a rare huge statement does not pin its memory.
const (
	maxPooledBuf  = 64 << 10
	maxPooledArgs = 4096
)

func acquire(d dialect.Dialect) *Writer {
	w := writers.Get().(*Writer)
	if sameDialect(w.d, d) {
		// As last time (w.d keeps that dialect alive, so the same words are the same value,
		// whose answers never change): skip copying its capabilities again.
		return w
	}
	w.d = d
	w.caps = d.Caps()
	switch w.caps.IdentQuote {
	case quoteStyles[0]:
		w.qs = 0
	case quoteStyles[1]:
		w.qs = 1
	default:
		w.qs = -1
	}
	return w
}

// sameDialect reports whether a and b are the same dialect value: the same dynamic type and
// data word. It compares identities, so it cannot panic on a dialect type that is not
// comparable (== on such interface values would).
//
// unsafe: the interface's two words are compared as they are stored. dialect.Same, which
// needs none (reflect's types, then == under a recover), cost every render more, as the
// shape cache asks it up to four times a Build (callgrind, BenchmarkRender, instructions per
// build+render, dialect.Same against this: warm Q1 1415 -> 1299, Q2 3350 -> 3239;
// uncacheable Q1 2377 -> 2064; first render Q1 2825 -> 2609).
func sameDialect(a, b dialect.Dialect) bool {
	type iface struct{ tab, data unsafe.Pointer }
	return *(*iface)(unsafe.Pointer(&a)) == *(*iface)(unsafe.Pointer(&b))
}

func release(w *Writer) {
	if w.direct { // the arguments are in storage that is not the writer's: drop it, not clear it
		w.args, w.direct, w.exact = w.pool[:0], false, false
	}
	if cap(w.buf) > maxPooledBuf || cap(w.args) > maxPooledArgs {
		return
	}
	// Only what rendering changed is reset: while the collector runs, every pointer store into
	// the (heap) writer pays a write barrier, even a store of nil.
	// Drop references to the caller's values. A counted loop, not range or clear: the compiler
	// turns those into a bulk clear with a bulk write barrier (see appendArgs).
	for i, n := 0, len(w.args); i < n; i++ {
		w.args[i] = nil
	}
	w.buf = w.buf[:0]
	w.args = w.args[:0]
	if cap(w.args) != cap(w.pool) { // grown: keep the larger storage
		w.pool = w.args
	}
	// The frame holds no pointers: stored whole, without comparing first.
	w.f, w.debug = render.Frame{}, false
	if w.err != nil {
		w.err = nil
	}
	if w.collect || len(w.ctes) > 0 {
		clear(w.ctes)
		clear(w.tables)
		w.ctes, w.tables, w.collect = w.ctes[:0], w.tables[:0], false
	}
	writers.Put(w)
}

// Render renders e (usually a statement) for d: the SQL text and its bound arguments in
// placeholder order. It never panics; a statement d cannot express yields a *BuildError.
func Render(d dialect.Dialect, e Expression) (sql string, args []any, err error) {
	return RenderTo(d, e, nil)
}

// RenderTo is Render appending the arguments to args, so that a caller with storage of its own
// saves an allocation: given empty storage (length 0, some capacity), the arguments are
// written straight into it while they fit.
func RenderTo(d dialect.Dialect, e Expression, args []any) (sql string, _ []any, err error) {
	if d == nil {
		return "", nil, &BuildError{Reason: "no dialect given", Kind: ErrInvalid}
	}
	if e == nil {
		return "", nil, &BuildError{Dialect: d.Name(), Reason: "nothing to render", Kind: ErrInvalid}
	}
	w := acquire(d)
	// With empty storage of the caller's (a statement's inline array), the arguments are
	// written straight into it: no copy at the end, and nothing to clear in the pooled writer.
	// If they outgrow it, Arg moves them to the writer's own storage and they are copied
	// once, at the end, as without storage. (Two pointer stores into the writer, against
	// three per argument for writing, copying and clearing them.)
	if len(args) == 0 && cap(args) > 0 {
		w.args, w.direct = args, true
	}
	w.write(e)
	w.checkArgCount()
	direct := w.direct
	if direct { // still in the caller's storage
		args, w.args, w.direct = w.args, w.pool[:0], false
	}
	if w.err != nil {
		err = w.err
		release(w)
		return "", nil, err
	}
	sql = internSQL(w.buf)
	if !direct {
		args = appendArgs(args, w.args)
	}
	release(w)
	return sql, args, nil
}

// renderWith is Render for a statement that writes itself with write (its WriteSQL method
// value), which must not keep w. RenderShaped uses it rather than Render because it does not
// make the statement escape: a statement built and rendered in one expression can then live
// on the stack, costing no allocation and no write barriers. The arguments are returned in a
// new slice of their exact length.
func renderWith(d dialect.Dialect, write func(*Writer)) (sql string, args []any, err error) {
	if d == nil {
		return "", nil, &BuildError{Reason: "no dialect given", Kind: ErrInvalid}
	}
	w := acquire(d)
	walked := false
	defer w.recoverRender(&walked, &err)
	write(w)
	walked = true
	w.checkArgCount()
	if w.err != nil {
		err = w.err
		release(w)
		return "", nil, err
	}
	sql = internSQL(w.buf)
	args = w.takeArgs()
	release(w)
	return sql, args, nil
}

// takeArgs returns the arguments written, in a slice of their own of their exact length:
// the slice they were written in if it was given to the writer (direct), else a copy, or
// the writer's own storage if the pool will not keep it.
func (w *Writer) takeArgs() (args []any) {
	n := len(w.args)
	switch {
	case w.direct:
		args, w.args, w.direct, w.exact = w.args, w.pool[:0], false, false
	case n > maxPooledArgs:
		// The pool will not keep a writer this large (see release): hand its arguments over
		// rather than copying 16 bytes each (1 MB for a 65,535-argument INSERT batch).
		args = w.args[:n:n]
		w.args, w.pool = nil, nil
	case n > 0:
		args = make([]any, n)
		for i := 0; i < n; i++ {
			args[i] = w.args[i]
		}
	}
	return args
}

// appendArgs is append(dst, src...) element by element when dst has room: append and clear
// on a slice of interfaces run a bulk write barrier while the collector is marking, which for
// a statement's few arguments costs more than the stores themselves.
func appendArgs(dst, src []any) []any {
	if len(src) == 0 {
		return dst
	}
	n := len(dst)
	if n+len(src) > cap(dst) {
		return append(dst, src...)
	}
	dst = dst[:n+len(src)]
	for i := range src {
		dst[n+i] = src[i]
	}
	return dst
}

// Debug renders e for d with every argument written inline as a literal, for logs and error
// messages only: the result is never meant to be executed (use Render, which binds values).
// If e cannot be rendered the result is the error text.
func Debug(d dialect.Dialect, e Expression) string {
	if d == nil || e == nil {
		_, _, err := Render(d, e)
		return err.Error()
	}
	w := acquire(d)
	w.debug = true
	w.write(e)
	var s string
	if w.err != nil {
		s = w.err.Error()
	} else {
		s = string(w.buf)
	}
	release(w)
	return s
}

// TablesOf lists the distinct tables e reads or writes, in first-use order, each as
// Table.TableName() ("schema.name" or "name"). CTE names are not tables and are left out.
func TablesOf(e Expression) []string {
	if e == nil {
		return nil
	}
	w := acquire(dialect.Postgres)
	w.collect = true
	w.write(e)
	var out []string
	if len(w.tables) > 0 {
		out = make([]string, len(w.tables))
		copy(out, w.tables)
	}
	release(w)
	return out
}

// write runs e.WriteSQL, turning a panic (a typedsql bug, or a nil statement pointer) into an
// ErrInternal build error: rendering must never take a program down.
func (w *Writer) write(e Expression) {
	w.writing = true
	defer w.recoverPanic()
	e.WriteSQL(w)
	w.writing = false
}

// recoverPanic, deferred by write, records a panic of the walk as an ErrInternal build
// error. It calls recover only if the walk did not return (writing is still set): a deferred
// method rather than a closure, and no call to the runtime's recover on the way out of every
// render (callgrind, BenchmarkRender, instructions per build+render: uncacheable Q1 2335 ->
// 2319, Q2 6302 -> 6291).
func (w *Writer) recoverPanic() {
	if !w.writing {
		return
	}
	w.writing = false
	if r := recover(); r != nil {
		w.Fail(ErrInternal, fmt.Sprint("panic while rendering: ", r))
	}
}

// recoverRender is recoverPanic for a render function that runs the walk itself (renderWith,
// renderShape), deferred as
//
//	walked := false
//	defer w.recoverRender(&walked, &err)
//	write(w)
//	walked = true
//
// After a panic the render function returns at once, with its other results zero: this sets
// its error and releases w. It tests the render function's own flag, not the writer's
// (writing), because on a normal return it runs after the writer was released, when another
// goroutine may hold it. The walk run in the render function rather than in a function of
// its own with the deferral saves that call (callgrind, BenchmarkRender, instructions per
// build+render: first render Q1 2637 -> 2632, Q3 3917 -> 3906, Q4 3539 -> 3520; uncacheable
// Q1 2062 -> 2057).
func (w *Writer) recoverRender(walked *bool, err *error) {
	if *walked {
		return
	}
	// recover works only when called by the deferred function itself, not through
	// recoverPanic.
	r := recover()
	if r == nil { // runtime.Goexit: the goroutine ends, there is no one to tell
		return
	}
	w.Fail(ErrInternal, fmt.Sprint("panic while rendering: ", r))
	*err = w.err
	release(w)
}

// Dialect is the dialect being rendered for.
func (w *Writer) Dialect() dialect.Dialect { return w.d }

// Caps is the dialect's capabilities: the writer's copy, for reading.
func (w *Writer) Caps() *dialect.Capabilities { return &w.caps }

// The appends below update w.buf in place: w.buf = append(w.buf, ...), or re-sliced
// (w.buf = w.buf[:n]). For both the compiler stores only the length while the buffer has
// room, with no GC write barrier, which matters because a statement is written in dozens of
// small pieces while the collector is often running. (An append of the form x = append(x,
// ...) is compiled in place; the result of append assigned elsewhere is not.)

// grow makes room for n more bytes.
func (w *Writer) grow(n int) {
	if len(w.buf)+n > cap(w.buf) {
		w.buf = slices.Grow(w.buf, n)
	}
}

// Text appends trusted SQL text: keywords and punctuation written by typedsql, never user data.
// One append, not grow, re-slice and copy: the compiler knows the room it checked, so no
// bounds are checked again, and a constant text is stored as immediates (callgrind,
// BenchmarkRender, instructions per build+render: uncacheable Q1 2268 -> 2227, Q2 6089 ->
// 5919; first Q1 2957 -> 2876, Q2 7576 -> 7415).
func (w *Writer) Text(s string) {
	w.buf = append(w.buf, s...)
}

// textCall is Text in a call of its own, for the rare paths of functions kept small (see
// Writer.comparison): Text inlined brings its growing and copying into the caller's frame.
//
//go:noinline
func (w *Writer) textCall(s string) { w.Text(s) }

// Char appends one byte of trusted SQL text.
func (w *Writer) Char(c byte) {
	w.buf = append(w.buf, c) // as Text (see there)
}

// Int appends n as a decimal literal (LIMIT and OFFSET counts).
func (w *Writer) Int(n int64) {
	if uint64(n) < 100 {
		w.smallUint(uint(n))
		return
	}
	w.setBuf(strconv.AppendInt(w.buf, n, 10))
}

// smallUint appends n, below 100, in decimal: the commonest LIMITs, OFFSETs and placeholder
// numbers, written directly rather than through strconv.AppendInt, which cost about 85
// instructions a number (callgrind, BenchmarkRender, instructions per build+render: Q2, with
// LIMIT 20 OFFSET 40, first render 7979 -> 7859; Q5, placeholders $1 to $101, uncacheable
// 36425 -> 33670). Appended in place as Text is, as Char is too (uncacheable Q2 5919 ->
// 5853, first Q2 7415 -> 7235).
func (w *Writer) smallUint(n uint) {
	if n < 10 {
		w.buf = append(w.buf, byte('0'+n))
		return
	}
	w.buf = append(w.buf, byte('0'+n/10), byte('0'+n%10))
}

// setBuf adopts b, the result of appending to w.buf, without a write barrier when the append
// did not reallocate.
func (w *Writer) setBuf(b []byte) {
	if cap(b) == cap(w.buf) && len(b) > 0 && len(w.buf) > 0 && &b[0] == &w.buf[0] {
		w.buf = w.buf[:len(b)]
		return
	}
	w.buf = b
}

// Ident appends name quoted as an identifier with the dialect's escaping. An empty name or one
// containing a NUL byte cannot be quoted safely on any engine and is a build error.
func (w *Writer) Ident(name string) {
	if name == "" {
		w.Fail(ErrInvalid, "empty identifier")
		return
	}
	if strings.IndexByte(name, 0) >= 0 {
		w.Fail(ErrInvalid, "identifier "+strconv.Quote(name)+" contains a NUL byte")
		return
	}
	w.setBuf(w.d.AppendIdent(w.buf, name))
}

// Arg binds v as the next argument and appends its placeholder ($n or ?). In Debug rendering it
// appends v as a literal instead.
func (w *Writer) Arg(v any) {
	// The common case, a placeholder of two bytes at most with room for its argument,
	// is kept apart from the rest (argSlow): in one function the rare paths' calls made every
	// argument pay a large frame (176 bytes) and spilled registers (callgrind,
	// BenchmarkRender, instructions per build+render: uncacheable Q1 2319 -> 2309, Q2, of four
	// arguments, 6233 -> 6209; its placeholder appended in place as Text is: Q1 2224 -> 2215,
	// Q2 5853 -> 5822).
	if n := len(w.args); n < cap(w.args) && !w.debug {
		switch p := w.caps.Placeholder; {
		case p == '$' && n < 9: // $1 to $9
			w.args = w.args[:n+1]
			w.args[n] = v
			w.buf = append(w.buf, '$', byte('1'+n))
			return
		case p == '?':
			w.args = w.args[:n+1]
			w.args[n] = v
			w.buf = append(w.buf, '?')
			return
		}
	}
	w.argSlow(v)
}

// argSlow is Arg for a value written as a literal (Debug), an argument slice that must grow
// or move first (see RenderTo), and placeholders of more than two bytes.
func (w *Writer) argSlow(v any) {
	if w.debug {
		w.literal(v)
		return
	}
	n := len(w.args)
	if n == cap(w.args) {
		if w.direct {
			// The caller's storage is full (see RenderTo): go on in the writer's own.
			w.args, w.direct, w.exact = append(w.pool[:0], w.args...), false, false
		} else {
			w.args = slices.Grow(w.args, 1)
		}
	}
	w.args = w.args[:n+1]
	w.args[n] = v
	w.placeholder(n + 1)
}

// placeholder appends the placeholder of the n-th argument, counted from 1: ? or $n, or
// the dialect's own.
func (w *Writer) placeholder(n int) {
	switch w.caps.Placeholder {
	case '?':
		w.Char('?')
	case '$':
		w.Char('$')
		if n < 100 {
			w.smallUint(uint(n))
			return
		}
		w.setBuf(strconv.AppendInt(w.buf, int64(n), 10))
	default:
		w.setBuf(w.d.AppendPlaceholder(w.buf, n))
	}
}

// reserveArgs is a hint that about n more arguments follow, each with its placeholder and a
// separator (an INSERT's VALUES rows): the writer makes room for them at once rather than
// growing its argument slice and text buffer step by step, which for 65,535 arguments copies
// them about a dozen times. It writes nothing; more or fewer arguments than n may follow.
func (w *Writer) reserveArgs(n int) {
	if w.debug || w.collect || n <= 0 || w.exact {
		return
	}
	have := len(w.args)
	if limit := w.caps.MaxParams; limit > 0 && n > limit-have { // more fail to build anyway
		n = limit - have
	}
	switch {
	case n <= cap(w.args)-have:
		return
	case w.direct && have+n <= cap(w.pool): // as Arg would move them when the caller's storage fills
		w.args, w.direct = append(w.pool[:0], w.args...), false
	default:
		w.args, w.direct = append(make([]any, 0, have+n), w.args...), false
	}
	// Text: each placeholder and its ", " ($n as long as the last one's number), and 2 bytes
	// for what else rows hold (their parentheses, a NULL): growing once more than needed would
	// copy the whole text again.
	per := 5 // "?, " + 2
	switch w.caps.Placeholder {
	case '?':
	case '$':
		per = 6
		for k := have + n; k >= 10; k /= 10 {
			per++
		}
	default:
		per = 10
	}
	w.grow(n * per)
}

// checkArgCount fails a statement that binds more arguments than the engine takes in one
// statement (see dialect.Capabilities.MaxParams): the driver or the server would refuse it
// anyway, in a different way on each engine (PostgreSQL's driver with an unclassified error,
// MySQL with error 1390, SQLite with "too many SQL variables").
func (w *Writer) checkArgCount() {
	// Small enough to be inlined into every render; the error is made in a call of its own.
	if limit := w.caps.MaxParams; len(w.args) > limit && limit > 0 {
		w.failTooManyArgs()
	}
}

// failTooManyArgs records checkArgCount's error. Not inlined, so that checkArgCount is.
//
//go:noinline
func (w *Writer) failTooManyArgs() {
	if w.err == nil {
		w.err = TooManyArgs(w.d, len(w.args))
	}
}

// TooManyArgs is the error for a statement of n bound arguments, more than d takes in one
// statement (dialect.Capabilities.MaxParams).
func TooManyArgs(d dialect.Dialect, n int) *BuildError {
	return &BuildError{Dialect: d.Name(), Kind: ErrInvalid, Reason: fmt.Sprintf(
		"%d bound arguments, more than the %d one statement can carry: split it (insert in batches, shorten IN lists)", n, d.Caps().MaxParams)}
}

// Fail records a build error of the given kind (ErrUnsupported, ErrInvalid) in the current
// clause. Only the first error is kept.
func (w *Writer) Fail(kind error, reason string) {
	if w.err == nil {
		w.err = &BuildError{Dialect: w.d.Name(), Clause: w.f.Clause.String(), Reason: reason, Kind: kind}
	}
}

// Unsupported records that what ("INSERT ... RETURNING", "FULL JOIN") is not supported by the
// dialect.
func (w *Writer) Unsupported(what string) { w.Fail(ErrUnsupported, what+" is not supported") }

// Err is the first error recorded, or nil.
func (w *Writer) Err() error {
	if w.err == nil {
		return nil
	}
	return w.err
}

// Frame is the clause being written and the scope that qualifies column references, which the
// builder package's statements set around their clauses (see render.Frame).
func (plumbing) Frame(w *Writer) *render.Frame { return &w.f }

// SetSoleSource declares src the statement's only source: its columns are written unqualified.
// With a nil src (several sources, or none) every column is qualified.
func (plumbing) SetSoleSource(w *Writer, src Source) {
	w.f.Scope = render.Scope{}
	if src != nil {
		w.f.Scope.Sole = uintptr(unsafe.Pointer(src.sourceInfo()))
	}
}

// declareCTE records that t names a common table expression from here on, so TablesOf does not
// report it as a table.
func (w *Writer) declareCTE(t Source) {
	if info := t.sourceInfo(); info != nil {
		w.ctes = append(w.ctes, info)
	}
}

// recordTable notes a table written as a source, for TablesOf.
func (w *Writer) recordTable(t *tableInfo) {
	if !w.collect {
		return
	}
	for _, c := range w.ctes {
		if c == t || (c.schema == "" && c.name == t.name && t.schema == "") {
			return
		}
	}
	name := t.qualifiedName()
	for _, s := range w.tables {
		if s == name {
			return
		}
	}
	w.tables = append(w.tables, name)
}
