// Package dialect describes how one SQL engine spells what the builders write: placeholders,
// identifier quoting, and the capabilities that differ between PostgreSQL, MySQL/MariaDB and
// SQLite. It is the only package that knows an engine: the renderer, the transaction code and
// the connection layer ask a Dialect and its Capabilities, and never compare dialect names (a
// test fails on code outside this package that does).
//
// A new engine is one new file here: a type with the four methods of Dialect and a
// Capabilities value. Everything else learns the engine's spelling from those.
package dialect

// Dialect is the per-engine part of rendering. Implementations must be safe for concurrent use
// and must not allocate in AppendPlaceholder or AppendIdent beyond growing b.
//
// A dialect's answers must never change: the renderer keeps the SQL it wrote for a dialect
// value and serves it again to equal statements rendered for an equal (==) dialect value. A
// dialect type that is not comparable (a struct holding a slice, map or func) is rendered every
// time.
type Dialect interface {
	// Name is the engine's short name: "postgres", "mysql", "mariadb" or "sqlite".
	Name() string
	// AppendPlaceholder appends the placeholder of the n-th bound argument (1-based):
	// $n on PostgreSQL, ? elsewhere.
	AppendPlaceholder(b []byte, n int) []byte
	// AppendIdent appends name quoted as an identifier, escaping the quote character, so that
	// any string round-trips as a name ("we""ird" on PostgreSQL and SQLite, `we``ird` on MySQL).
	AppendIdent(b []byte, name string) []byte
	// Caps reports what the engine can express. It is a value: changing the copy returned
	// changes nothing else. To derive a dialect, embed one and return a modified copy:
	//
	//	type noILike struct{ dialect.Dialect }
	//
	//	func (d noILike) Caps() dialect.Capabilities {
	//		c := d.Dialect.Caps()
	//		c.ILike = false // LOWER(x) LIKE LOWER(y)
	//		return c
	//	}
	Caps() Capabilities
}

// Capabilities lists the engine differences the builders, the transaction code and the
// connection layer consult. It is comparable, and a plain value: Caps returns a copy.
type Capabilities struct {
	InsertReturning bool // INSERT ... RETURNING
	UpdateReturning bool // UPDATE ... RETURNING
	DeleteReturning bool // DELETE ... RETURNING
	ILike           bool // native ILIKE; otherwise LOWER(x) LIKE LOWER(y)
	Savepoints      bool // SAVEPOINT / RELEASE / ROLLBACK TO
	Upsert          UpsertForm
	FullJoin        bool // FULL [OUTER] JOIN
	RightJoin       bool // RIGHT [OUTER] JOIN
	Intersect       bool // INTERSECT / EXCEPT
	UpdateFrom      bool // UPDATE t SET ... FROM other (PostgreSQL, SQLite)
	UpdateJoin      bool // UPDATE t JOIN other ON ... SET ... (MySQL)
	DeleteUsing     bool // DELETE FROM t USING other (PostgreSQL)
	DeleteJoin      bool // DELETE t FROM t JOIN other (MySQL)
	UpdateLimit     bool // UPDATE ... ORDER BY ... LIMIT n
	DeleteLimit     bool // DELETE ... ORDER BY ... LIMIT n
	ForUpdate       bool // SELECT ... FOR UPDATE / FOR SHARE
	SkipLocked      bool // FOR UPDATE SKIP LOCKED / NOWAIT
	NullsOrder      bool // ORDER BY x NULLS FIRST / LAST
	BoolLiterals    bool // TRUE / FALSE rather than 1 / 0
	InsertIgnore    bool // INSERT IGNORE (MySQL)
	InsertOrIgnore  bool // INSERT OR IGNORE (SQLite)
	// IntDiv reports that integers divide as integers only with a DIV b, because a / b gives a
	// DECIMAL even for two integers (MySQL: 5 / 2 = 2.5000, 5 DIV 2 = 2). PostgreSQL and SQLite
	// truncate with /.
	IntDiv bool
	// ConcatOperator reports whether || concatenates strings; otherwise CONCAT(a, b) is used
	// (on MySQL || is a logical OR unless PIPES_AS_CONCAT is set).
	ConcatOperator bool
	// LockInShareMode spells SELECT ... FOR SHARE as LOCK IN SHARE MODE (MariaDB).
	LockInShareMode bool
	// ParenSetOperands reports whether an operand of UNION/INTERSECT/EXCEPT may be a
	// parenthesized SELECT (needed when it has its own ORDER BY/LIMIT or is itself a set
	// operation). SQLite accepts only bare SELECTs there.
	ParenSetOperands bool
	// LimitAll is the LIMIT written when a statement has OFFSET but no LIMIT, on engines whose
	// grammar has no OFFSET without LIMIT; empty when OFFSET may stand alone.
	LimitAll string
	// LikeEscape is written after every LIKE pattern so that a backslash escapes % and _ (see
	// expr.EscapeLike) as it does by default on PostgreSQL and MySQL; SQLite has no default
	// escape character and needs ESCAPE '\'.
	LikeEscape string
	// DefaultValues reports INSERT INTO t DEFAULT VALUES; otherwise INSERT INTO t () VALUES ().
	DefaultValues bool
	// DefaultKeyword reports whether DEFAULT may stand for a value in VALUES and SET.
	DefaultKeyword bool
	// Placeholder is the placeholder character: '$' for numbered $1, $2, ... (PostgreSQL), '?'
	// for positional ones. Renderers use it to skip a method call per argument; it must agree
	// with AppendPlaceholder.
	Placeholder byte
	// IdentQuote is the character AppendIdent quotes with (" or `). Renderers use it to write
	// identifiers quoted once, when a table descriptor is declared, instead of on every render.
	IdentQuote byte
	// CastParams reports that a typed value standing alone (expr.Val in a select list, a CASE
	// branch, an operand of unary minus) needs CAST($n AS type): PostgreSQL infers a parameter's
	// type from its context and, without one, takes it as text.
	CastParams bool
	// WithDML reports whether WITH may precede INSERT, UPDATE and DELETE.
	WithDML bool
	// Cast names the SQL types CAST(x AS type) uses for each Go type family.
	Cast CastTypes
	// TxIsolation reports whether BEGIN can carry an isolation level.
	TxIsolation bool
	// TxReadOnly reports whether a transaction can be declared READ ONLY.
	TxReadOnly bool
	// TxDeferrable reports whether a transaction can be DEFERRABLE (PostgreSQL only).
	TxDeferrable bool
	// TxBegin is how the engine spells "start a transaction with these characteristics".
	TxBegin BeginForm
	// MaxParams is the most bound arguments one statement may carry: 65535 on PostgreSQL (the
	// protocol's 16-bit count) and MySQL/MariaDB (error 1390), 32766 on SQLite
	// (SQLITE_MAX_VARIABLE_NUMBER). 0 means no known limit.
	MaxParams int
	// BackslashEscapes reports that a backslash escapes the next character inside a string
	// literal ('a\'b' is a'b), so a literal must double it: MySQL and MariaDB, unless sql_mode
	// has NO_BACKSLASH_ESCAPES. Only debug output writes string literals.
	BackslashEscapes bool
	// BytesLiteral is how a byte string is written as a literal (debug output only).
	BytesLiteral BytesForm
	// Savepoint spells the three savepoint statements, each followed by the quoted name.
	Savepoint SavepointSQL
	// TxStatus says how to learn whether the connection is still inside a transaction after
	// a statement failed (the engine may have rolled it back on its own: a MySQL deadlock
	// victim, an interrupted SQLite write).
	TxStatus TxStatusForm
	// TxStatusQuery is the query that answers it when TxStatus is TxStatusByQuery: one row,
	// one integer column, non-zero inside a transaction.
	TxStatusQuery string
	// VersionQuery returns the server's version text (one row, one text column), which
	// ParseVersion reads and ForServer picks a dialect by.
	VersionQuery string
	// Replication is how the engine's streaming replicas report what they have replayed, for
	// package replica's health checks and read-your-writes.
	Replication ReplicationForm
	// DDL names the column types CREATE TABLE uses for each Go type family.
	DDL DDLTypes
	// RowValues reports row-value comparisons, (a, b) < ($1, $2), which order rows by a,
	// then b. Without them expr.After and expr.Before write a < $1 OR (a = $1 AND b < $2).
	RowValues bool
	// Funcs spells the functions that differ between engines.
	Funcs FuncForms
	// Lexical is what the engine's SQL text has beyond standard quotes ('...', "...") and
	// comments (-- and /* */), for reading hand-written SQL: conn.Portable finds its
	// placeholders with it.
	Lexical Lexical
	// JSONPath is how a value is taken out of a JSON document by its path (expr.JSON's Text,
	// Int, Float).
	JSONPath JSONPathForm
	// ArrayParams reports that a Go slice binds as one array parameter, so that a column's
	// EqAny writes "col" = ANY($1) with one argument however long the list (PostgreSQL).
	// Elsewhere EqAny writes "col" IN (?, ?, ...), one argument per element.
	ArrayParams bool
	// LastInsertID reports that the driver tells the id of the row an INSERT added
	// (MySQL/MariaDB, SQLite), where conn.InsertID falls back to it when InsertReturning is
	// not there (MySQL).
	LastInsertID bool
	// Explain is how the engine shows a statement's plan (conn's DB.Explain).
	Explain ExplainSQL
}

// Lexical lists the forms of SQL text, beyond the standard's, in which a ? is not a
// placeholder (BackslashEscapes is the other one).
type Lexical struct {
	HashComments   bool // # to the end of the line is a comment (MySQL)
	BacktickQuotes bool // `...` quotes an identifier (MySQL; SQLite accepts it too)
	DollarQuotes   bool // $tag$ ... $tag$ quotes a string (PostgreSQL)
	EscapeStrings  bool // E'...' is a string in which a backslash escapes (PostgreSQL)
	NestedComments bool // /* /* */ */ nests (PostgreSQL)
}

// JSONPathForm is an engine's way of extracting a scalar from a JSON document as text.
type JSONPathForm uint8

const (
	// JSONPathNone: the engine has no JSON functions typedsql knows.
	JSONPathNone JSONPathForm = iota
	// JSONPathArrayText: doc #>> $1, the path bound as a text[] of keys (PostgreSQL, json and
	// jsonb).
	JSONPathArrayText
	// JSONPathValue: JSON_VALUE(doc, ?), the path bound as '$."key"."key"' (MariaDB); JSON
	// null is SQL NULL.
	JSONPathValue
	// JSONPathUnquote: JSON_UNQUOTE(JSON_EXTRACT(doc, ?)), the path bound as '$."key"' (MySQL,
	// whose JSON_VALUE takes only a literal path); JSON null is the text 'null'.
	JSONPathUnquote
	// JSONPathExtract: json_extract(doc, ?), the path bound as '$."key"."key"' (SQLite), which
	// gives numbers as numbers and strings as text.
	JSONPathExtract
)

// ExplainSQL is the engine's spelling of "show the plan of this statement": each prefix is
// written before the statement's own SQL.
type ExplainSQL struct {
	// Plan shows the plan without running the statement: "EXPLAIN ", "EXPLAIN QUERY PLAN ".
	Plan string
	// Analyze runs the statement and shows the plan with what each step did (rows, time):
	// "EXPLAIN (ANALYZE) " (PostgreSQL), "ANALYZE " (MariaDB), "EXPLAIN ANALYZE " (MySQL 8).
	// Empty where the engine has none (SQLite).
	Analyze string
	// Form says how the plan comes back.
	Form ExplainForm
}

// ExplainForm is the shape of the rows an engine's EXPLAIN returns.
type ExplainForm uint8

const (
	// ExplainRows: the plan is the rows themselves, one line of text per row (PostgreSQL,
	// MySQL's FORMAT=TREE) or a table of several columns (MariaDB's EXPLAIN, ANALYZE).
	ExplainRows ExplainForm = iota
	// ExplainQueryPlan: SQLite's EXPLAIN QUERY PLAN, rows of (id, parent, notused, detail)
	// that make a tree through parent.
	ExplainQueryPlan
)

// BytesForm is an engine's literal for a byte string.
type BytesForm uint8

const (
	// BytesHex: X'0aff' (MySQL, MariaDB, SQLite; standard SQL).
	BytesHex BytesForm = iota
	// BytesEscapedHex: '\x0aff', bytea's hex input form (PostgreSQL).
	BytesEscapedHex
)

// SavepointSQL is the start of each savepoint statement; the savepoint's quoted name follows.
type SavepointSQL struct {
	Save, Release, RollbackTo string // "SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT "
}

// TxStatusForm is how a connection tells whether a transaction is open on it.
type TxStatusForm uint8

const (
	// TxStatusByProtocol: the wire protocol reports it with every reply, so the driver knows
	// without a round trip (PostgreSQL's ReadyForQuery status: 'I' idle, 'T' in a
	// transaction, 'E' in a failed one).
	TxStatusByProtocol TxStatusForm = iota
	// TxStatusByQuery: run Capabilities.TxStatusQuery (MySQL/MariaDB: SELECT @@in_transaction).
	TxStatusByQuery
	// TxStatusByBegin: send BEGIN, which fails inside a transaction; outside one it succeeded
	// and is rolled back at once (SQLite, which has no status query).
	TxStatusByBegin
)

// ReplicationForm says how a primary's write position and a replica's replay position are read
// and compared.
type ReplicationForm uint8

const (
	// ReplicationNone: no streaming replicas (SQLite), or none typedsql knows how to follow
	// (MySQL's GTID functions differ from MariaDB's; open a MariaDB server as mariadb://).
	ReplicationNone ReplicationForm = iota
	// ReplicationWAL: PostgreSQL's write-ahead log positions, pg_current_wal_insert_lsn() on the
	// primary against pg_last_wal_replay_lsn() on a hot standby.
	ReplicationWAL
	// ReplicationMariaDBGTID: MariaDB's global transaction ids, @@gtid_binlog_pos on the
	// primary, MASTER_GTID_WAIT and @@gtid_slave_pos on a replica.
	ReplicationMariaDBGTID
)

// DDLTypes are the column types an engine's CREATE TABLE uses, one per Go type family, the
// spelling of an auto-numbered primary key (Identity, written after the column name), and how
// the engine spells and keeps the rest of a table's definition. Package schema reads them.
type DDLTypes struct {
	Int, Uint, Float, Text, Bytes, Bool, Time, JSON string
	Identity                                        string
	// Int32 is the type of a Go int32, int16 or int8 (4 bytes: INTEGER, INT); IntegerBits is
	// how many bits the type called INTEGER or INT holds (32, but 64 on SQLite).
	Int32       string
	IntegerBits int
	// TextKey and BytesKey are Text and Bytes for a column in a key or an index: MySQL cannot
	// index TEXT or BLOB without a prefix length, so there they are VARCHAR(255), VARBINARY(255).
	TextKey, BytesKey string
	// TimeAsText reports that times are kept as text (SQLite: the connection writes UTC
	// timestamps into a TEXT or DATETIME column and parses them back).
	TimeAsText bool
	// InlineIndex reports that CREATE TABLE declares the table's indexes in its body
	// (INDEX name (cols)), which is how CREATE TABLE IF NOT EXISTS covers them on an engine
	// without CREATE INDEX IF NOT EXISTS (MySQL); otherwise CREATE [UNIQUE] INDEX [IF NOT
	// EXISTS] follows the table.
	InlineIndex bool
	// PartialIndex reports CREATE INDEX ... WHERE predicate.
	PartialIndex bool
	// Comments is how table and column comments are written.
	Comments CommentForm
	// AddConstraint reports ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY | UNIQUE | CHECK,
	// which also creates tables that reference each other. Without it (SQLite) a table may
	// instead reference one not created yet, and a constraint is added by rebuilding the table.
	AddConstraint bool
	// AlterColumn is how a column's type, nullability and default change.
	AlterColumn AlterColumnForm
	// DropIndexOnTable reports DROP INDEX name ON table (MySQL); otherwise DROP INDEX
	// [schema.]name.
	DropIndexOnTable bool
	// RestrictIsNoAction reports that a foreign key's RESTRICT and NO ACTION are one action,
	// which the catalog reports as either (MySQL/MariaDB).
	RestrictIsNoAction bool
	// DropForeignKey is the ALTER TABLE clause that drops a foreign key, before its quoted
	// name ("DROP CONSTRAINT ", "DROP FOREIGN KEY "); empty when there is none.
	DropForeignKey string
	// Transactional reports that DDL runs inside a transaction and rolls back with it;
	// MySQL/MariaDB commit implicitly before and after each DDL statement.
	Transactional bool
	// Catalog is where the engine describes its tables.
	Catalog CatalogForm
	// LockSQL takes a session-wide named lock, waiting for it: one row, one integer column, 1
	// once taken; its one argument is the lock's name. UnlockSQL gives it back. Both are empty
	// on an engine without named locks (SQLite), where a write transaction serializes writers.
	// (MySQL's GET_LOCK waits a year: MariaDB answers NULL to the timeout -1 that means
	// "forever" on MySQL; a caller stops waiting by cancelling its context.)
	LockSQL, UnlockSQL string
	// Where AlterColumn is AlterColumnNone a table is changed by rebuilding it (SQLite's
	// twelve steps): ForeignKeysQuery reads whether foreign keys are enforced (one integer),
	// ForeignKeysOff and ForeignKeysOn switch them outside the rebuild's transaction, and
	// ForeignKeyCheck lists the rows that break a key (none, before COMMIT).
	ForeignKeysQuery, ForeignKeysOff, ForeignKeysOn, ForeignKeyCheck string
	// DropUnique and DropCheck are the ALTER TABLE clauses that drop a UNIQUE constraint and
	// a CHECK constraint, before the quoted name: DROP CONSTRAINT, and on MySQL DROP INDEX for
	// a unique key (its constraint is its index); empty where the table is rebuilt instead.
	DropUnique, DropCheck string
	// RenameQualified reports that ALTER TABLE s.t RENAME TO must name the schema again
	// (s.new): MySQL would move the table to the current database otherwise; PostgreSQL and
	// SQLite refuse a schema there.
	RenameQualified bool
	// DropPrimaryKey is the ALTER TABLE clause that drops a table's primary key: "DROP
	// PRIMARY KEY" (MySQL), or "DROP CONSTRAINT " before the key's quoted name
	// (PrimaryKeyByName, PostgreSQL); empty where the table is rebuilt instead (SQLite).
	DropPrimaryKey   string
	PrimaryKeyByName bool
	// CreateSchema creates a schema that may exist already, before its quoted name: CREATE
	// SCHEMA IF NOT EXISTS (PostgreSQL; on MySQL/MariaDB a schema is a database, which
	// CREATE SCHEMA creates). Empty where a schema is an attached database file (SQLite).
	CreateSchema string
	// IndexSchemaOnName reports that CREATE INDEX puts an index of a table in another
	// schema on the index's name and leaves the table's unqualified (SQLite: CREATE INDEX
	// "aux"."ix" ON "t" (...)); otherwise the table's name carries the schema.
	IndexSchemaOnName bool
	// ForeignKeyIndex reports that a foreign key over columns no index starts with gets an
	// index of its own, named after the key, which dropping the key leaves behind (MySQL).
	ForeignKeyIndex bool
}

// CommentForm is an engine's way of attaching comments to tables and columns.
type CommentForm uint8

const (
	// CommentNone: the engine keeps no comments (SQLite).
	CommentNone CommentForm = iota
	// CommentOn: COMMENT ON TABLE t IS '...' and COMMENT ON COLUMN t.c IS '...' (PostgreSQL).
	CommentOn
	// CommentInline: c TYPE COMMENT '...' in the column and COMMENT='...' after the table's
	// body (MySQL/MariaDB).
	CommentInline
)

// AlterColumnForm is an engine's way of changing a column in place.
type AlterColumnForm uint8

const (
	// AlterColumnNone: no way; the table is rebuilt (SQLite).
	AlterColumnNone AlterColumnForm = iota
	// AlterColumnClauses: ALTER COLUMN c TYPE t, SET / DROP NOT NULL, SET / DROP DEFAULT, one
	// clause per change (PostgreSQL).
	AlterColumnClauses
	// AlterColumnModify: MODIFY COLUMN c followed by the column's whole new definition (MySQL).
	AlterColumnModify
)

// CatalogForm names where an engine describes its schema.
type CatalogForm uint8

const (
	// CatalogPostgres: pg_catalog (pg_attribute, pg_constraint, pg_index), per schema.
	CatalogPostgres CatalogForm = iota + 1
	// CatalogInformationSchema: information_schema (COLUMNS, TABLE_CONSTRAINTS,
	// KEY_COLUMN_USAGE, STATISTICS, CHECK_CONSTRAINTS), the database being the schema (MySQL).
	CatalogInformationSchema
	// CatalogPragma: PRAGMA table_xinfo, index_list, index_xinfo, foreign_key_list and the
	// CREATE statements kept in sqlite_schema (SQLite).
	CatalogPragma
)

// BeginForm is the engine's way of starting a transaction with options.
type BeginForm uint8

const (
	// BeginModes: BEGIN [ISOLATION LEVEL x] [READ ONLY | READ WRITE] [DEFERRABLE] (PostgreSQL).
	BeginModes BeginForm = iota
	// BeginSetTransaction: SET TRANSACTION ISOLATION LEVEL x, then
	// START TRANSACTION [READ ONLY | READ WRITE] (MySQL/MariaDB).
	BeginSetTransaction
	// BeginLocking: BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE, naming when the write lock is taken
	// (SQLite).
	BeginLocking
)

// CastTypes are the type names an engine accepts in CAST(x AS type), one per Go type family.
type CastTypes struct {
	Int, Uint, Float, Text, Bytes, Bool, Time string
}

// UpsertForm is the engine's spelling of "insert, or do something on a key conflict".
type UpsertForm uint8

const (
	// UpsertNone: the engine has no upsert.
	UpsertNone UpsertForm = iota
	// UpsertOnConflict: INSERT ... ON CONFLICT (cols) DO NOTHING / DO UPDATE SET c = EXCLUDED.c.
	UpsertOnConflict
	// UpsertOnDuplicateKey: INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c). VALUES() is used
	// rather than MySQL 8's row alias because MariaDB has no row alias and MySQL 8 still
	// accepts VALUES() (with a deprecation warning).
	UpsertOnDuplicateKey
)
