package expr

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/typedsql/typedsql/dialect"
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
// Writer is exported for statement implementations (the builder package); applications use
// Render or the builders' Build.
type Writer struct {
	buf    []byte
	args   []any
	d      dialect.Dialect
	caps   *dialect.Capabilities
	clause string
	err    *BuildError
	scope  Scope
	ctes   []*tableInfo // CTE names in effect; not tables for Tables()
	debug  bool         // write values as literals (Debug)
	// collect: record the tables written as sources (TablesOf).
	collect bool
	tables  []string
}

// Scope decides how column references are qualified. Statements set it around their clauses:
// a column of the statement's only table is written bare ("id"), any other column qualified
// ("u"."id"), so a correlated subquery never captures an outer column by mistake.
type Scope struct {
	sole *tableInfo
	bare bool
}

var writers = sync.Pool{New: func() any {
	return &Writer{buf: make([]byte, 0, 1024), args: make([]any, 0, 32)}
}}

// The pool keeps buffers up to these sizes; a rare huge statement does not pin its memory.
const (
	maxPooledBuf  = 64 << 10
	maxPooledArgs = 4096
)

func acquire(d dialect.Dialect) *Writer {
	w := writers.Get().(*Writer)
	w.d = d
	w.caps = d.Caps()
	return w
}

func release(w *Writer) {
	if cap(w.buf) > maxPooledBuf || cap(w.args) > maxPooledArgs {
		return
	}
	clear(w.args) // drop references to the caller's values
	clear(w.ctes)
	clear(w.tables)
	*w = Writer{buf: w.buf[:0], args: w.args[:0], ctes: w.ctes[:0], tables: w.tables[:0]}
	writers.Put(w)
}

// Render renders e (usually a statement) for d: the SQL text and its bound arguments in
// placeholder order. It never panics; a statement d cannot express yields a *BuildError.
func Render(d dialect.Dialect, e Expression) (sql string, args []any, err error) {
	if d == nil {
		return "", nil, &BuildError{Reason: "no dialect given", Kind: ErrInvalid}
	}
	if e == nil {
		return "", nil, &BuildError{Dialect: d.Name(), Reason: "nothing to render", Kind: ErrInvalid}
	}
	w := acquire(d)
	w.write(e)
	if w.err != nil {
		err = w.err
		release(w)
		return "", nil, err
	}
	sql = string(w.buf)
	if len(w.args) > 0 {
		args = make([]any, len(w.args))
		copy(args, w.args)
	}
	release(w)
	return sql, args, nil
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
	defer func() {
		if r := recover(); r != nil {
			w.Fail(ErrInternal, fmt.Sprint("panic while rendering: ", r))
		}
	}()
	e.WriteSQL(w)
}

// Dialect is the dialect being rendered for.
func (w *Writer) Dialect() dialect.Dialect { return w.d }

// Caps is the dialect's capabilities.
func (w *Writer) Caps() *dialect.Capabilities { return w.caps }

// Text appends trusted SQL text: keywords and punctuation written by typedsql, never user data.
func (w *Writer) Text(s string) { w.buf = append(w.buf, s...) }

// Char appends one byte of trusted SQL text.
func (w *Writer) Char(c byte) { w.buf = append(w.buf, c) }

// Int appends n as a decimal literal (LIMIT and OFFSET counts).
func (w *Writer) Int(n int64) { w.buf = strconv.AppendInt(w.buf, n, 10) }

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
	w.buf = w.d.AppendIdent(w.buf, name)
}

// Arg binds v as the next argument and appends its placeholder ($n or ?). In Debug rendering it
// appends v as a literal instead.
func (w *Writer) Arg(v any) {
	if w.debug {
		w.literal(v)
		return
	}
	w.args = append(w.args, v)
	w.buf = w.d.AppendPlaceholder(w.buf, len(w.args))
}

// Clause names the clause being written, for error messages, and returns the previous name so
// that the caller can restore it.
func (w *Writer) Clause(name string) (prev string) {
	prev, w.clause = w.clause, name
	return prev
}

// Fail records a build error of the given kind (ErrUnsupported, ErrInvalid) in the current
// clause. Only the first error is kept.
func (w *Writer) Fail(kind error, reason string) {
	if w.err == nil {
		w.err = &BuildError{Dialect: w.d.Name(), Clause: w.clause, Reason: reason, Kind: kind}
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

// Scope returns the current column-qualification scope, for restoring it later.
func (w *Writer) Scope() Scope { return w.scope }

// RestoreScope puts back a scope saved with Scope.
func (w *Writer) RestoreScope(s Scope) { w.scope = s }

// SetSoleSource declares src the statement's only source: its columns are written unqualified.
// With a nil src (several sources, or none) every column is qualified.
func (w *Writer) SetSoleSource(src Source) {
	w.scope = Scope{}
	if src != nil {
		w.scope.sole = src.sourceInfo()
	}
}

// SetBare makes every column render unqualified (INSERT column lists, the ORDER BY of a set
// operation) and returns the previous setting.
func (w *Writer) SetBare(bare bool) (prev bool) {
	prev, w.scope.bare = w.scope.bare, bare
	return prev
}

// DeclareCTE records that t names a common table expression from here on, so TablesOf does not
// report it as a table.
func (w *Writer) DeclareCTE(t Source) {
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
