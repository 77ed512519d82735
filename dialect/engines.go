package dialect

import (
	"strconv"
	"strings"
)

// The engines typedsql renders for. Each value is stateless and safe for concurrent use.
var (
	Postgres Dialect = postgres{}
	MySQL    Dialect = mysql{name: "mysql", caps: &mysqlCaps}
	// MariaDB is MySQL plus INSERT/DELETE ... RETURNING (MariaDB 10.5+).
	MariaDB Dialect = mysql{name: "mariadb", caps: &mariadbCaps}
	SQLite  Dialect = sqlite{}
)

// ByName returns the dialect whose Name is name, and whether there is one.
func ByName(name string) (Dialect, bool) {
	switch name {
	case "postgres":
		return Postgres, true
	case "mysql":
		return MySQL, true
	case "mariadb":
		return MariaDB, true
	case "sqlite":
		return SQLite, true
	}
	return nil, false
}

var postgresCaps = Capabilities{
	InsertReturning: true, UpdateReturning: true, DeleteReturning: true,
	ILike: true, Savepoints: true, Upsert: UpsertOnConflict,
	FullJoin: true, RightJoin: true, Intersect: true,
	UpdateFrom: true, DeleteUsing: true,
	ForUpdate: true, SkipLocked: true, NullsOrder: true, BoolLiterals: true,
	TxIsolation: true, TxReadOnly: true, TxDeferrable: true,
	ConcatOperator: true, ParenSetOperands: true, DefaultValues: true, DefaultKeyword: true,
	WithDML: true, IdentQuote: '"', CastParams: true, Placeholder: '$', MaxParams: 65535,
	Cast: CastTypes{Int: "BIGINT", Uint: "BIGINT", Float: "DOUBLE PRECISION", Text: "TEXT",
		Bytes: "BYTEA", Bool: "BOOLEAN", Time: "TIMESTAMPTZ"},
}

var mysqlCaps = Capabilities{
	Savepoints: true, Upsert: UpsertOnDuplicateKey,
	RightJoin: true, Intersect: true,
	UpdateJoin: true, DeleteJoin: true, UpdateLimit: true, DeleteLimit: true,
	ForUpdate: true, SkipLocked: true, BoolLiterals: true, InsertIgnore: true,
	TxIsolation: true, TxReadOnly: true, TxBegin: BeginSetTransaction,
	ParenSetOperands: true, LimitAll: "18446744073709551615", DefaultKeyword: true, IntDiv: true,
	IdentQuote: '`', Placeholder: '?', MaxParams: 65535,
	Cast: CastTypes{Int: "SIGNED", Uint: "UNSIGNED", Float: "DOUBLE", Text: "CHAR",
		Bytes: "BINARY", Bool: "UNSIGNED", Time: "DATETIME(6)"},
}

var mariadbCaps = func() Capabilities {
	c := mysqlCaps
	c.InsertReturning = true
	c.DeleteReturning = true
	// MariaDB has no FOR SHARE; LOCK IN SHARE MODE means the same.
	c.LockInShareMode = true
	return c
}()

var sqliteCaps = Capabilities{
	InsertReturning: true, UpdateReturning: true, DeleteReturning: true,
	Savepoints: true, Upsert: UpsertOnConflict,
	FullJoin: true, RightJoin: true, Intersect: true,
	UpdateFrom: true, NullsOrder: true, BoolLiterals: true,
	InsertOrIgnore: true, ConcatOperator: true, LimitAll: "-1", DefaultValues: true,
	WithDML: true, IdentQuote: '"', Placeholder: '?', MaxParams: 32766,
	Cast: CastTypes{Int: "INTEGER", Uint: "INTEGER", Float: "REAL", Text: "TEXT",
		Bytes: "BLOB", Bool: "INTEGER", Time: "TEXT"},
	// SQLite has no isolation levels or read-only transactions: every transaction is serializable.
	TxBegin: BeginLocking,
}

type postgres struct{}

func (postgres) Name() string        { return "postgres" }
func (postgres) Caps() *Capabilities { return &postgresCaps }
func (postgres) AppendPlaceholder(b []byte, n int) []byte {
	return strconv.AppendInt(append(b, '$'), int64(n), 10)
}
func (postgres) AppendIdent(b []byte, name string) []byte { return appendQuoted(b, name, '"') }

type mysql struct {
	name string
	caps *Capabilities
}

func (m mysql) Name() string                           { return m.name }
func (m mysql) Caps() *Capabilities                    { return m.caps }
func (mysql) AppendPlaceholder(b []byte, _ int) []byte { return append(b, '?') }
func (mysql) AppendIdent(b []byte, name string) []byte { return appendQuoted(b, name, '`') }

type sqlite struct{}

func (sqlite) Name() string                             { return "sqlite" }
func (sqlite) Caps() *Capabilities                      { return &sqliteCaps }
func (sqlite) AppendPlaceholder(b []byte, _ int) []byte { return append(b, '?') }
func (sqlite) AppendIdent(b []byte, name string) []byte { return appendQuoted(b, name, '"') }

// appendQuoted writes name between q characters, doubling every q inside it.
func appendQuoted(b []byte, name string, q byte) []byte {
	b = append(b, q)
	// Almost no name contains the quote character: copy it in one append.
	if strings.IndexByte(name, q) < 0 {
		b = append(b, name...)
		return append(b, q)
	}
	for i := 0; i < len(name); i++ {
		if name[i] == q {
			b = append(b, q)
		}
		b = append(b, name[i])
	}
	return append(b, q)
}
