package expr

import (
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/typedsql/typedsql/dialect"
)

// Table is the descriptor part of a table struct: embed it (by value) in a struct of typed
// columns and create the struct with NewTable.
//
//	type UsersTable struct {
//		expr.Table
//		ID    expr.Column[int64]    `db:"id"`
//		Name  expr.Column[string]   `db:"name"`
//		Email expr.Nullable[string] `db:"email"`
//	}
//	var Users = expr.NewTable[UsersTable]("users")
//
// A table struct (or a pointer to it) is a Source for FROM, JOIN, INSERT INTO, UPDATE and
// DELETE FROM. The zero Table is unbound: statements using it fail to build.
type Table struct{ t *tableInfo }

type tableInfo struct {
	name, schema, alias string
	id                  uint64 // for Shape
	// word is the table's word in a Shape, 0 while it has none: made by bind once the
	// descriptor is known to be valid, so that a shape does not check it each time.
	word uint32
	cols []*column
	err  string // why the descriptor is unusable; reported by Build
	// The table quoted once per quoting style ('"', '`'), at declaration: how columns refer to
	// it ("u" or "s"."users"), its FROM item ("s"."users" AS "u") and its bare name.
	ref, qname [2]string
	src        [2]textRun
}

// quoters are the built-in dialects whose identifier quoting a descriptor's names are written
// with when it is declared, one per quote character (" and `), and quoteStyles those
// characters (Capabilities.IdentQuote); Writer.qs indexes them. The quoting itself is the
// dialect's AppendIdent: no second copy here. A dialect with another quote character falls
// back to quoting at render time.
var (
	quoters     = [2]dialect.Dialect{dialect.Postgres, dialect.MySQL}
	quoteStyles = [2]byte{quoters[0].Caps().IdentQuote, quoters[1].Caps().IdentQuote}
)

// quoteIdent is name quoted in style, an index of quoters.
func quoteIdent(name string, style int) string {
	return string(quoters[style].AppendIdent(make([]byte, 0, len(name)+2), name))
}

func (t *tableInfo) quote() {
	for i := range quoters {
		t.qname[i] = quoteIdent(t.name, i)
		if t.schema != "" {
			t.qname[i] = quoteIdent(t.schema, i) + "." + t.qname[i]
		}
		t.ref[i] = t.qname[i]
		src := t.qname[i]
		if t.alias != "" {
			t.ref[i] = quoteIdent(t.alias, i)
			src = t.qname[i] + " AS " + t.ref[i]
		}
		t.src[i] = newTextRun(src)
	}
}

// qualifiedName is the contract with conn.Using and Tables(): "schema.name" or "name".
func (t *tableInfo) qualifiedName() string {
	if t.schema != "" {
		return t.schema + "." + t.name
	}
	return t.name
}

// TableName is the table's schema-qualified name, "schema.name", or just "name" when it has no
// schema; the alias is not part of it. It is the name builder statements report in Tables()
// and the name conn.Using matches.
func (t Table) TableName() string {
	if t.t == nil {
		return ""
	}
	return t.t.qualifiedName()
}

// TableAlias is the alias given with As, or "".
func (t Table) TableAlias() string {
	if t.t == nil {
		return ""
	}
	return t.t.alias
}

// ColumnNames lists the table's column names in declaration order.
func (t Table) ColumnNames() []string {
	if t.t == nil {
		return nil
	}
	names := make([]string, len(t.t.cols))
	for i, c := range t.t.cols {
		names[i] = c.name
	}
	return names
}

// writeSource writes the table as a FROM item: "schema"."name" AS "alias".
func (t Table) writeSource(w *Writer) {
	// The common case, a valid table written for a dialect with pre-quoted names and not
	// recorded (TablesOf), without the call to writable and with the quoting style's index
	// masked, as in Writer.column (callgrind, BenchmarkRender, instructions per build+render:
	// uncacheable Q1, of one source, 2209 -> 2196, Q2, of two, 5819 -> 5779).
	if info := t.t; info != nil && info.err == "" && w.qs >= 0 && !w.collect {
		if r := &info.src[w.qs&1]; !w.tryRun(r) {
			w.Text(r.s)
		}
		return
	}
	t.writeSourceSlow(w)
}

// writeSourceSlow is writeSource for a table to record or to report, or a dialect that quotes
// as it writes.
func (t Table) writeSourceSlow(w *Writer) {
	info := t.writable(w)
	if info == nil {
		return
	}
	if w.qs >= 0 {
		if r := &info.src[w.qs]; !w.tryRun(r) {
			w.Text(r.s)
		}
		return
	}
	info.writeName(w)
	if info.alias != "" {
		w.Text(" AS ")
		w.Ident(info.alias)
	}
}

// writeName writes the table's name without its alias ("schema"."name"): the target of INSERT
// INTO, and the reference to a CTE.
func (t Table) writeName(w *Writer) {
	info := t.writable(w)
	if info == nil {
		return
	}
	if w.qs >= 0 {
		w.Text(info.qname[w.qs])
		return
	}
	info.writeName(w)
}

// writable returns the descriptor of a table about to be written as a source, recording it
// for Tables(); an unbound or invalid descriptor fails w instead, and gives nil.
func (t Table) writable(w *Writer) *tableInfo {
	info := t.t
	if info == nil {
		w.Fail(ErrInvalid, "table descriptor not bound: create it with expr.NewTable")
		return nil
	}
	if info.err != "" {
		w.Fail(ErrInvalid, info.err)
		return nil
	}
	w.recordTable(info)
	return info
}

// writeName quotes "schema"."name" as it goes, for a dialect without pre-quoted names.
func (t *tableInfo) writeName(w *Writer) {
	if t.schema != "" {
		w.Ident(t.schema)
		w.Char('.')
	}
	w.Ident(t.name)
}

// writeRef writes how columns refer to the table: its alias if it has one, else its name.
func (t Table) writeRef(w *Writer) {
	info := t.t
	if info == nil {
		w.Fail(ErrInvalid, "table descriptor not bound: create it with expr.NewTable")
		return
	}
	info.writeRef(w)
}

func (t *tableInfo) writeRef(w *Writer) {
	if w.qs >= 0 {
		w.Text(t.ref[w.qs])
		return
	}
	if t.alias != "" {
		w.Ident(t.alias)
		return
	}
	t.writeName(w)
}

func (t Table) sourceInfo() *tableInfo { return t.t }

// mustEmbedExprTable gives NewTable and As access to the embedded descriptor of any table
// struct. Its name is what the compiler says to a struct that does not embed Table: "*T does
// not satisfy expr.tablePtr[T] (missing method mustEmbedExprTable)".
func (t *Table) mustEmbedExprTable() *Table { return t }

// Source is what FROM, JOIN, INSERT INTO, UPDATE and DELETE FROM accept: a table struct that
// embeds Table (or a pointer to one), or a derived table made with FromQuery.
type Source interface {
	// TableName is the schema-qualified name ("" for a derived table).
	TableName() string

	// writeSource writes the FROM item: "schema"."name" AS "alias", or (subquery) AS "name".
	writeSource(w *Writer)
	// writeName writes the source's name without alias (INSERT INTO, CTE references).
	writeName(w *Writer)
	sourceInfo() *tableInfo
	shapeWord() uint32 // see Shape
}

// Target is what INSERT INTO, UPDATE and DELETE FROM accept: the descriptor of a table (a struct
// that embeds Table, or a pointer to one), also under an alias (As). A view's descriptor (View)
// and a derived table (FromQuery) are Sources but not Targets: writing to them does not compile.
//
//	builder.Update(Users).Set(Users.Name.Set("ann")).Where(Users.ID.Eq(1)) // UPDATE "users" SET ...
type Target interface {
	Source
	isTableNotView()
}

func (Table) isTableNotView() {}

// TableOption configures NewTable.
type TableOption func(*tableInfo)

// InSchema places the table in a schema (PostgreSQL schema, MySQL database, SQLite attached
// database): it renders as "schema"."name" and TableName returns "schema.name".
func InSchema(schema string) TableOption {
	return func(t *tableInfo) { t.schema = schema }
}

// tablePtr is the constraint NewTable and As use to reach the embedded Table of *S.
type tablePtr[S any] interface {
	*S
	mustEmbedExprTable() *Table
}

// NewTable creates the descriptor of the table name from the struct type S, which embeds Table
// and declares one exported field per column:
//
//	var Users = expr.NewTable[UsersTable]("users")                          // "users"
//	var Logs  = expr.NewTable[LogsTable]("logs", expr.InSchema("audit"))    // "audit"."logs"
//
// A field's column name is its `db` tag, or its name in snake_case when it has none; `db:"-"`
// skips it. NewTable never panics: a malformed descriptor (empty name, duplicate column) makes
// every statement that uses it fail to build with the reason.
func NewTable[S any, P tablePtr[S]](name string, opts ...TableOption) *S {
	info := &tableInfo{name: name}
	for _, o := range opts {
		if o != nil {
			o(info)
		}
	}
	s := new(S)
	bind(s, P(s).mustEmbedExprTable(), info)
	return s
}

// As returns a copy of the table descriptor t under an alias: FROM "users" AS "u", and its
// columns render as "u"."id". Use it for self-joins and short names.
//
//	u, o := expr.As(Users, "u"), expr.As(Orders, "o")
func As[S any, P tablePtr[S]](t *S, alias string) *S {
	info := &tableInfo{alias: alias}
	if t == nil {
		info.err = "expr.As: nil table descriptor"
		return newWithInfo[S, P](info)
	}
	orig := P(t).mustEmbedExprTable().t
	if orig == nil {
		info.err = "expr.As: table descriptor not bound: create it with expr.NewTable"
		return newWithInfo[S, P](info)
	}
	info.name, info.schema, info.err = orig.name, orig.schema, orig.err
	s := new(S)
	*s = *t
	bind(s, P(s).mustEmbedExprTable(), info)
	return s
}

func newWithInfo[S any, P tablePtr[S]](info *tableInfo) *S {
	s := new(S)
	*P(s).mustEmbedExprTable() = Table{info}
	return s
}

// columnBinder is implemented by *Column[T] and *Nullable[T].
type columnBinder interface {
	bindColumn(c *column)
}

var binderType = reflect.TypeFor[columnBinder]()

// bind points tbl at info and every column field of *s at a new column of info.
func bind(s any, tbl *Table, info *tableInfo) {
	*tbl = Table{info}
	info.id = newShapeID()
	if info.err == "" {
		switch {
		case info.name == "":
			info.err = "table descriptor has an empty name"
		case strings.IndexByte(info.name, 0) >= 0 || strings.IndexByte(info.schema, 0) >= 0 ||
			strings.IndexByte(info.alias, 0) >= 0:
			desc := strconv.Quote(info.qualifiedName())
			if info.alias != "" {
				desc += " AS " + strconv.Quote(info.alias)
			}
			info.err = "table " + desc + ": a name contains a NUL byte"
		}
	}
	info.quote()
	v := reflect.ValueOf(s).Elem()
	typ := v.Type()
	seen := make(map[string]bool, typ.NumField())
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !reflect.PointerTo(f.Type).Implements(binderType) {
			continue
		}
		name, ok := f.Tag.Lookup("db")
		if name == "-" {
			continue
		}
		if !ok || name == "" {
			name = snakeCase(f.Name)
		}
		if !f.IsExported() {
			if info.err == "" {
				info.err = "table " + strconv.Quote(info.name) + ": column field " + f.Name + " is not exported"
			}
			continue
		}
		if seen[name] && info.err == "" {
			info.err = "table " + strconv.Quote(info.name) + ": column " + strconv.Quote(name) + " declared twice"
		}
		if strings.IndexByte(name, 0) >= 0 && info.err == "" {
			info.err = "table " + strconv.Quote(info.name) + ": column name " + strconv.Quote(name) + " contains a NUL byte"
		}
		seen[name] = true
		c := newColumn(info, name)
		v.Field(i).Addr().Interface().(columnBinder).bindColumn(c)
		info.cols = append(info.cols, c)
	}
	if info.err == "" { // else the table and columns keep word 0: not a part of a shape
		info.setWord()
		for _, c := range info.cols {
			c.setWords()
		}
	}
}

// snakeCase turns a Go field name into a column name: CreatedAt -> created_at, UserID -> user_id.
func snakeCase(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		if unicode.IsUpper(c) {
			if i > 0 && (unicode.IsLower(r[i-1]) || (i+1 < len(r) && unicode.IsLower(r[i+1]) && unicode.IsUpper(r[i-1]))) {
				b.WriteByte('_')
			}
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// derived is a subquery in FROM, named by a table descriptor.
type derived struct {
	t *tableInfo
	q Query
}

// FromQuery makes a derived table: the subquery q named by the descriptor t, whose columns
// refer to q's result columns by name.
//
//	type StatsTable struct {
//		expr.Table
//		UserID expr.Column[int64] `db:"user_id"`
//		N      expr.Column[int64] `db:"n"`
//	}
//	var Stats = expr.NewTable[StatsTable]("stats")
//	builder.Select(Stats.N).From(expr.FromQuery(Stats, sub))   // FROM (SELECT ...) AS "stats"
//
// q's select items must carry those names (use As). The derived table is not a table for
// Tables(); the tables q reads are.
func FromQuery(t Source, q Query) Source {
	if t == nil {
		return derived{q: q}
	}
	return derived{t: t.sourceInfo(), q: q}
}

func (d derived) writeSource(w *Writer) {
	if d.t == nil {
		w.Fail(ErrInvalid, "derived table without a bound descriptor")
		return
	}
	if d.t.err != "" {
		w.Fail(ErrInvalid, d.t.err)
		return
	}
	subquery{d.q}.WriteSQL(w)
	w.Text(" AS ")
	if d.t.alias != "" {
		w.Ident(d.t.alias)
	} else {
		w.Ident(d.t.name)
	}
}

func (d derived) writeName(w *Writer) {
	w.Fail(ErrInvalid, "a derived table (subquery) has no name to write to")
}

func (d derived) TableName() string      { return "" }
func (d derived) sourceInfo() *tableInfo { return d.t }

// SchemaAndName returns a table's schema ("" when InSchema was not given) and name, apart,
// for APIs that take them as separate identifiers (pgx's CopyFrom). A derived table has
// neither.
func SchemaAndName(src Source) (schema, name string) {
	if src == nil {
		return "", ""
	}
	t := src.sourceInfo()
	if t == nil || t.err != "" {
		return "", ""
	}
	return t.schema, t.name
}
