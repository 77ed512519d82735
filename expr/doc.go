// Package expr holds typed table descriptors and typed SQL expressions, and the single-pass
// writer that renders them.
//
// # Tables and columns
//
// A table is a struct that embeds Table and declares one field per column; NewTable binds it:
//
//	type UsersTable struct {
//		expr.Table
//		ID    expr.Column[int64]    `db:"id"`
//		Name  expr.Column[string]   `db:"name"`
//		Email expr.Nullable[string] `db:"email"`
//	}
//	var Users = expr.NewTable[UsersTable]("users")
//
// As(Users, "u") is the same table under an alias (self-joins). TableName returns the
// schema-qualified name ("schema.name"), the name builder statements report in Tables() and
// conn.Using matches. Supported column types: bool, every int, uint and float width, string,
// []byte, time.Time, json.RawMessage, and any type that implements driver.Valuer and
// sql.Scanner (a UUID type, say): the value is handed to the driver as it is. A JSON document
// is a JSON[T] column: Set marshals a T, and Text, Int and Float take a value out by path.
//
// # How types are checked
//
// Every typed expression implements Of[T], where T is the Go type of its SQL value: Column[T],
// Nullable[T] and Expr[T] (function results, arithmetic, Val, CASE, subqueries). The checks
// come from two places:
//
//   - Operations that make sense for every type are methods, with the value or the other
//     operand typed by the receiver's T: Eq/Ne/Lt/Le/Gt/Ge(v T), EqExpr(x Of[T]) and friends,
//     In(vs ...T), InQuery(QueryOf[T]), Between(lo, hi T), IsNull, Asc/Desc, As, and on
//     columns Set(v T) / SetExpr(x Of[T]) (SetNull on Nullable only).
//   - Operations restricted to some types are generic functions whose constraint says so,
//     because Go methods cannot be specialised per type argument: Like, ILike, Lower, Concat
//     take Text (~string); Sum, Avg, Add, Sub, Mul, Div, Neg take Number. Count, Min, Max,
//     Coalesce and Case take any T.
//
// So each of these fails to compile:
//
//	Users.ID.Eq("x")                  // string value for an int64 column
//	Users.ID.In("a", "b")             // IN list of the wrong type
//	Users.Name.Set(3)                 // assigning an int to a string column
//	Users.ID.EqExpr(Users.Name)       // comparing int64 with string columns
//	expr.Like(Users.Active, "a%")     // LIKE on a bool column
//	expr.Sum(Users.Name)              // SUM of a string
//	expr.Add(Users.Name, Users.Name)  // arithmetic on strings
//
// Where the compiler cannot know a type — an SQL fragment, a function typedsql does not know —
// the escape hatch names the type explicitly: Raw[T], Func[T], CastAs[T].
//
// # Functions that differ per engine
//
// Dates and times (DateTrunc, DatePart, FormatTime with a layout of Go's reference time,
// AddTime, Now), strings (Length, Substring, Trim, Replace) and comparisons (Greatest, Least,
// Coalesce, NullIf) are typed calls that each dialect spells its own way (dialect.FuncForms),
// computing times in UTC so that the same rows give the same answers on every engine. After
// and Before, with typed Keys, are the conditions of keyset pagination (builder's SeekAfter).
//
// # Rendering
//
// Render (and the builders' Build) write a statement into one byte buffer and one argument slice
// in a single pass. Values are always bound as arguments; only identifiers, quoted with the
// dialect's escaping, and keywords are written into the SQL text. Placeholders are numbered
// from the arguments already written, so nested queries number correctly on PostgreSQL.
// Rendering never panics: what a dialect cannot express, or an incomplete statement, is a
// *BuildError naming the clause and the dialect. Debug renders with values inlined, for logs
// only.
//
// # Rendering once per shape
//
// An application builds the same statements over and over with different values, so the
// builders do not write a statement whose SQL they have written before. A statement's Shape is
// what its SQL depends on: its structure and the identity of its tables and columns, never its
// values. Build computes it while gathering the bound values, with a walk generated from the
// same source as the walk that writes the SQL (see Shape), and a shape rendered before for a
// built-in dialect gets the kept SQL text:
//
//	builder.Select(Users.ID).From(Users).Where(Users.ID.Eq(7))   // rendered: SELECT "id" FROM "users" WHERE "id" = $1
//	builder.Select(Users.ID).From(Users).Where(Users.ID.Eq(8))   // same shape: the same text, args [8]
//
// SELECT and single-table INSERT ... VALUES, UPDATE and DELETE made of columns, aggregates of
// columns, comparisons and bound values have shapes; statements with other parts (subqueries,
// function calls, arithmetic, Raw, aliases, WITH, upserts, several tables in a DML statement)
// are rendered every time. The kept texts, and
// the texts interned by Render, are bounded in number and length and hold no values.
package expr
