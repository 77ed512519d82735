package typecheck

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mismatch is one type error the compiler must catch. good and bad differ only in the
// mismatch: good compiles (it goes into the positive program), bad must fail with a message
// containing want. setup is shared by both and must compile on its own.
type mismatch struct {
	name  string
	setup string
	good  string
	bad   string
	want  string
}

// mismatches: each is a distinct way to mix up Go types that the typed API must refuse. The
// wanted text is the stable part of the compiler's message (the Go compiler's wording has held
// since generics arrived; if a Go release rewords one, the failure prints the new message).
var mismatches = []mismatch{
	{
		name: "DELETE FROM a view",
		good: `_ = builder.Select(ActiveUsers.Name).From(ActiveUsers).Where(ActiveUsers.ID.Eq(1))`,
		bad:  `_ = builder.DeleteFrom(ActiveUsers).Where(ActiveUsers.ID.Eq(1))`,
		want: `*schema.ActiveUsersView does not implement expr.Target (wrong type for method isTableNotView)`,
	},
	{
		name: "UPDATE a view",
		good: `_ = builder.Update(Users).Set(Users.Name.Set("x")).Where(Users.ID.Eq(1))`,
		bad:  `_ = builder.Update(ActiveUsers).Set(ActiveUsers.Name.Set("x")).Where(ActiveUsers.ID.Eq(1))`,
		want: `*schema.ActiveUsersView does not implement expr.Target (wrong type for method isTableNotView)`,
	},
	{
		name: "INSERT INTO a view",
		good: `_ = builder.InsertInto(Archive).Values(Archive.Name.Set("x"))`,
		bad:  `_ = builder.InsertInto(ActiveUsers).Values(ActiveUsers.Name.Set("x"))`,
		want: `*schema.ActiveUsersView does not implement expr.Target (wrong type for method isTableNotView)`,
	},
	{
		name: "INSERT INTO a derived table",
		good: `_ = builder.Select(Archive.ID).From(expr.FromQuery(Archive, builder.Select(Users.ID, Users.Name).From(Users)))`,
		bad:  `_ = builder.InsertInto(expr.FromQuery(Archive, builder.Select(Users.ID, Users.Name).From(Users))).Values(Archive.Name.Set("x"))`,
		want: `expr.Source does not implement expr.Target (missing method isTableNotView)`,
	},
	{
		name: "Eq: int64 column, string value",
		good: `_ = Users.ID.Eq(42)`,
		bad:  `_ = Users.ID.Eq("x")`,
		want: `cannot use "x" (untyped string constant) as int64 value in argument to Users.ID.Eq`,
	},
	{
		name:  "Eq: int32 column, int64 variable",
		setup: `var id int64 = 7`,
		good:  `_ = Users.Visits.Eq(int32(id))`,
		bad:   `_ = Users.Visits.Eq(id)`,
		want:  `cannot use id (variable of type int64) as int32 value in argument to Users.Visits.Eq`,
	},
	{
		name:  "JSON Set: another Go type than the column's document",
		setup: "type attrs struct{ Color string }; type pt struct { expr.Table; Attrs expr.JSON[attrs] `db:\"attrs\"` }; P := expr.NewTable[pt](\"p\")",
		good:  `_ = P.Attrs.Set(attrs{Color: "red"})`,
		bad:   `_ = P.Attrs.Set(map[string]any{"color": "red"})`,
		want:  `as attrs value in argument to P.Attrs.Set`,
	},
	{
		name:  "JSON path: a text value compared with a number",
		setup: "type pt struct { expr.Table; Attrs expr.JSON[map[string]any] `db:\"attrs\"` }; P := expr.NewTable[pt](\"p\")",
		good:  `_ = P.Attrs.Text("color").Eq("red")`,
		bad:   `_ = P.Attrs.Text("color").Eq(5)`,
		want:  `cannot use 5 (untyped int constant) as string value in argument to P.Attrs.Text("color").Eq`,
	},
	{
		name:  "JSON path: an integer path summed with a float column",
		setup: "type pt struct { expr.Table; Attrs expr.JSON[map[string]any] `db:\"attrs\"` }; P := expr.NewTable[pt](\"p\")",
		good:  `_ = expr.Add(P.Attrs.Int("qty"), Users.ID)`,
		bad:   `_ = expr.Add(P.Attrs.Int("qty"), Orders.Total)`,
		want:  `does not match inferred type expr.Of[int64]`,
	},
	{
		name: "In: a []string list for an int64 column",
		good: `_ = Users.ID.In([]int64{1, 2}...)`,
		bad:  `_ = Users.ID.In([]string{"1", "2"}...)`,
		want: `(value of type []string) as []int64 value in argument to Users.ID.In`,
	},
	{
		name: "NotIn: a string among int64 values",
		good: `_ = Users.ID.NotIn(1, 2)`,
		bad:  `_ = Users.ID.NotIn(1, "2")`,
		want: `cannot use "2" (untyped string constant) as int64 value in argument to Users.ID.NotIn`,
	},
	{
		name: "INSERT: a string into an int32 column",
		good: `_ = builder.InsertInto(Users).Values(Users.Name.Set("ann"), Users.Visits.Set(0))`,
		bad:  `_ = builder.InsertInto(Users).Values(Users.Name.Set("ann"), Users.Visits.Set("0"))`,
		want: `cannot use "0" (untyped string constant) as int32 value in argument to Users.Visits.Set`,
	},
	{
		name:  "UPDATE SET: a string variable into an int64 column",
		setup: `name := "ann"`,
		good:  `_ = builder.Update(Users).Set(Users.Name.Set(name)).Where(Users.ID.Eq(1))`,
		bad:   `_ = builder.Update(Users).Set(Users.ID.Set(name)).Where(Users.ID.Eq(1))`,
		want:  `cannot use name (variable of type string) as int64 value in argument to Users.ID.Set`,
	},
	{
		name: "UPDATE SET: an int64 expression into an int32 column",
		good: `_ = builder.Update(Users).Set(Users.Visits.SetExpr(expr.Add(Users.Visits, expr.Val[int32](1))))`,
		bad:  `_ = builder.Update(Users).Set(Users.Visits.SetExpr(expr.Add(Users.ID, expr.Val[int64](1))))`,
		want: `expr.Expr[int64] does not implement expr.Of[int32] (wrong type for method exprHasGoType)`,
	},
	{
		name: "UPDATE SET: an int into a nullable string column",
		good: `_ = builder.Update(Users).Set(Users.Email.Set("ann@example.com"), Users.Name.Set("ann"))`,
		bad:  `_ = builder.Update(Users).Set(Users.Email.Set(42), Users.Name.Set("ann"))`,
		want: `cannot use 42 (untyped int constant) as string value in argument to Users.Email.Set`,
	},
	{
		name: "LIKE on a bool column",
		good: `_ = expr.Like(Users.Name, "a%")`,
		bad:  `_ = expr.Like(Users.Active, "a%")`,
		want: `in call to expr.Like, T (type bool) does not satisfy expr.Text`,
	},
	{
		name: "ILIKE on an int64 column",
		good: `_ = expr.ILike(Users.Email, "%@example.com")`,
		bad:  `_ = expr.ILike(Users.ID, "1%")`,
		want: `in call to expr.ILike, T (type int64) does not satisfy expr.Text`,
	},
	{
		name: "SUM of a string column",
		good: `_ = expr.Sum(Orders.Total)`,
		bad:  `_ = expr.Sum(Users.Name)`,
		want: `string does not satisfy expr.Number`,
	},
	{
		name: "AVG of a string column",
		good: `_ = expr.Avg(Users.Visits)`,
		bad:  `_ = expr.Avg(Users.Email)`,
		want: `string does not satisfy expr.Number`,
	},
	{
		name: "Add on strings",
		good: `_ = expr.Add(Orders.Total, expr.Val(1.5))`,
		bad:  `_ = expr.Add(Users.Name, Users.Name)`,
		want: `string does not satisfy expr.Number`,
	},
	{
		name: "Mul on bools",
		good: `_ = expr.Mul(Users.Visits, Users.Visits)`,
		bad:  `_ = expr.Mul(Users.Active, expr.Val(true))`,
		want: `bool does not satisfy expr.Number`,
	},
	{
		name: "Add: a float64 column and an int value",
		good: `_ = expr.Add(Orders.Total, expr.Val(1.0))`,
		bad:  `_ = expr.Add(Orders.Total, expr.Val(1))`,
		want: `type expr.Expr[int] of expr.Val(1) does not match inferred type expr.Of[float64] for expr.Of[T]`,
	},
	{
		name: "EqExpr: an int64 column against a string column (join condition)",
		good: `_ = builder.Select(Users.Name).From(Users).Join(Orders, Orders.UserID.EqExpr(Users.ID))`,
		bad:  `_ = builder.Select(Users.Name).From(Users).Join(Orders, Orders.UserID.EqExpr(Users.Name))`,
		want: `expr.Column[string] does not implement expr.Of[int64] (wrong type for method exprHasGoType)`,
	},
	{
		name:  "BETWEEN: strings on a time column",
		setup: `t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)`,
		good:  `_ = Users.CreatedAt.Between(t0, t0.AddDate(1, 0, 0))`,
		bad:   `_ = Users.CreatedAt.Between(t0, "2025-01-01")`,
		want:  `cannot use "2025-01-01" (untyped string constant) as time.Time value in argument to Users.CreatedAt.Between`,
	},
	{
		name: "COALESCE of a string column and an int",
		good: `_ = expr.CoalesceExpr(Users.Email, expr.Val("none"))`,
		bad:  `_ = expr.CoalesceExpr(Users.Email, expr.Val(3))`,
		want: `type expr.Expr[int] of expr.Val(3) does not match inferred type expr.Of[string] for expr.Of[T]`,
	},
	{
		name: "IN (subquery) yielding strings for an int64 column",
		good: `_ = Users.ID.InQuery(builder.SelectOne(Orders.UserID).From(Orders))`,
		bad:  `_ = Users.ID.InQuery(builder.SelectOne(Orders.Note).From(Orders))`,
		want: `builder.SelectOf[string] does not implement expr.QueryOf[int64] (wrong type for method selectOneOfGoType)`,
	},
	{
		name: "scalar subquery of float64 compared with an int64 column",
		good: `_ = Orders.Total.GtExpr(expr.Subquery(builder.SelectOne(expr.Avg(Orders.Total)).From(Orders)))`,
		bad:  `_ = Orders.UserID.GtExpr(expr.Subquery(builder.SelectOne(expr.Avg(Orders.Total)).From(Orders)))`,
		want: `expr.Expr[float64] does not implement expr.Of[int64] (wrong type for method exprHasGoType)`,
	},
	{
		name: "CASE: an int branch in a string CASE",
		good: `_ = expr.Case[string]().When(Users.Active.Eq(true), expr.Val("on")).Else(expr.Val("off"))`,
		bad:  `_ = expr.Case[string]().When(Users.Active.Eq(true), expr.Val(1)).Else(expr.Val("off"))`,
		want: `expr.Expr[int] does not implement expr.Of[string] (wrong type for method exprHasGoType)`,
	},
	{
		name: "CASE: a bool ELSE in a string CASE",
		good: `_ = expr.Case[string]().When(Users.Active.Eq(true), Users.Name).Else(expr.Val("-"))`,
		bad:  `_ = expr.Case[string]().When(Users.Active.Eq(true), Users.Name).Else(Users.Active)`,
		want: `expr.Column[bool] does not implement expr.Of[string] (wrong type for method exprHasGoType)`,
	},
	{
		name: "upsert: the EXCLUDED value of an int32 column into a string column",
		good: `_ = builder.InsertInto(Users).Values(Users.ID.Set(1), Users.Name.Set("a")).OnConflict(Users.ID).DoUpdate(Users.Name.SetExpr(expr.Excluded(Users.Name)))`,
		bad:  `_ = builder.InsertInto(Users).Values(Users.ID.Set(1), Users.Name.Set("a")).OnConflict(Users.ID).DoUpdate(Users.Name.SetExpr(expr.Excluded(Users.Visits)))`,
		want: `expr.Expr[int32] does not implement expr.Of[string] (wrong type for method exprHasGoType)`,
	},
	{
		name: "INSERT ... SELECT: an int64 source for a string column",
		good: `_ = builder.InsertInto(Archive).FromSelect(builder.Select().From(Users), Archive.ID.SetExpr(Users.ID), Archive.Name.SetExpr(Users.Name))`,
		bad:  `_ = builder.InsertInto(Archive).FromSelect(builder.Select().From(Users), Archive.ID.SetExpr(Users.ID), Archive.Name.SetExpr(Users.ID))`,
		want: `expr.Column[int64] does not implement expr.Of[string] (wrong type for method exprHasGoType)`,
	},
	{
		name: "concatenating an int64 column",
		good: `_ = expr.Concat(Users.Name, expr.Val(" <"), Users.Email, expr.Val(">"))`,
		bad:  `_ = expr.Concat(Users.Name, Users.ID)`,
		want: `type expr.Column[int64] of Users.ID does not match inferred type expr.Of[string] for expr.Of[T]`,
	},
	{
		name: "a string column as a condition",
		good: `_ = builder.Select(Users.ID).From(Users).Where(expr.IsTrue(Users.Active))`,
		bad:  `_ = builder.Select(Users.ID).From(Users).Where(expr.IsTrue(Users.Name))`,
		want: `expr.Column[string] does not implement expr.Of[bool] (wrong type for method exprHasGoType)`,
	},
	// The unexported methods of the constraints are named for these messages (issue 18 item 8).
	{
		name:  "NewTable of a struct that does not embed expr.Table",
		setup: "type NoTable struct{ ID expr.Column[int64] }",
		good:  `_ = expr.NewTable[ArchiveTable]("archive")`,
		bad:   `_ = expr.NewTable[NoTable]("no")`,
		want:  `*NoTable does not satisfy expr.tablePtr[NoTable] (missing method mustEmbedExprTable)`,
	},
	{
		name: "As of a table struct value instead of its descriptor",
		good: `_ = expr.As(Users, "u")`,
		bad:  `_ = expr.As(*Users, "u")`,
		want: `in call to expr.As, type schema.UsersTable of *Users does not match *S`,
	},
	{
		name: "a statement (an untyped expression) compared with an int64 column",
		good: `_ = Users.ID.EqExpr(expr.Subquery(builder.SelectOne(Orders.UserID).From(Orders)))`,
		bad:  `_ = Users.ID.EqExpr(builder.Select(Orders.UserID).From(Orders))`,
		want: `*builder.SelectStmt does not implement expr.Of[int64] (missing method exprFromValOrSubquery)`,
	},
	{
		name: "the Go type of an expression, said in the method the message quotes",
		good: `_ = Users.ID.EqExpr(Orders.UserID)`,
		bad:  `_ = Users.ID.EqExpr(Orders.Total)`,
		want: "(wrong type for method exprHasGoType)\n\t\thave exprHasGoType(*float64)\n\t\twant exprHasGoType(*int64)",
	},
	{
		name: "IN (subquery) of a Select, not a SelectOne",
		good: `_ = Users.ID.InQuery(builder.SelectOne(Orders.UserID).From(Orders))`,
		bad:  `_ = Users.ID.InQuery(builder.Select(Orders.UserID).From(Orders))`,
		want: `*builder.SelectStmt does not implement expr.QueryOf[int64] (missing method selectOneOfGoType)`,
	},
	{
		name: "EXCLUDED of an expression, not a column",
		good: `_ = expr.Excluded(Users.Name)`,
		bad:  `_ = expr.Excluded[string](expr.Val("x"))`,
		want: `expr.Expr[string] does not implement expr.ColumnOf[string] (missing method tableColumn)`,
	},
	{
		// Of[T] has no exported method, so the first one the compiler names for a plain
		// value is the one whose name says what to do.
		name: "a plain value where an expression is wanted",
		good: `_ = expr.CoalesceExpr(Users.Email, expr.Val("none"))`,
		bad:  `_ = expr.CoalesceExpr(Users.Email, "none")`,
		want: `string does not implement expr.Of[string] (missing method exprFromValOrSubquery)`,
	},
	{
		name: "a plain value compared with EqExpr",
		good: `_ = Users.ID.EqExpr(Orders.UserID)`,
		bad:  `_ = Users.ID.EqExpr(7)`,
		want: `does not implement expr.Of[int64] (missing method exprFromValOrSubquery)`,
	},
	{
		name: "an untyped expression where a typed one is wanted",
		good: `_ = builder.SelectOne[int64](Users.ID)`,
		bad:  `_ = builder.SelectOne[int64](expr.Expression(Users.ID))`,
		want: `expr.Expression does not implement expr.Of[int64] (missing method exprFromValOrSubquery)`,
	},
	{
		name: "EqAny: a []string list for an int64 column",
		good: `_ = Users.ID.EqAny([]int64{1, 2})`,
		bad:  `_ = Users.ID.EqAny([]string{"1", "2"})`,
		want: `(value of type []string) as []int64 value in argument to Users.ID.EqAny`,
	},
}

// schemaSrc is the package the snippets share: a users/orders schema covering the column
// types the mismatches need.
const schemaSrc = `package schema

import (
	"time"

	"github.com/typedsql/typedsql/expr"
)

type UsersTable struct {
	expr.Table
	ID        expr.Column[int64]     ` + "`db:\"id\"`" + `
	Name      expr.Column[string]    ` + "`db:\"name\"`" + `
	Email     expr.Nullable[string]  ` + "`db:\"email\"`" + `
	Active    expr.Column[bool]      ` + "`db:\"active\"`" + `
	CreatedAt expr.Column[time.Time] ` + "`db:\"created_at\"`" + `
	Visits    expr.Column[int32]     ` + "`db:\"visits\"`" + `
}

type OrdersTable struct {
	expr.Table
	ID     expr.Column[int64]    ` + "`db:\"id\"`" + `
	UserID expr.Column[int64]    ` + "`db:\"user_id\"`" + `
	Total  expr.Column[float64]  ` + "`db:\"total\"`" + `
	Note   expr.Nullable[string] ` + "`db:\"note\"`" + `
}

type ArchiveTable struct {
	expr.Table
	ID   expr.Column[int64]  ` + "`db:\"id\"`" + `
	Name expr.Column[string] ` + "`db:\"name\"`" + `
}

type ActiveUsersView struct {
	expr.View
	ID   expr.Column[int64]  ` + "`db:\"id\"`" + `
	Name expr.Column[string] ` + "`db:\"name\"`" + `
}

var (
	ActiveUsers = expr.NewTable[ActiveUsersView]("active_users")
	Users   = expr.NewTable[UsersTable]("users")
	Orders  = expr.NewTable[OrdersTable]("orders")
	Archive = expr.NewTable[ArchiveTable]("archive")
)
`

// preamble starts every snippet file. The blank uses keep each import used whatever the
// snippet needs; the dot import lets snippets read like the documentation (Users.ID.Eq(42)).
const preamble = `import (
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
	. "typecheck.test/schema"
)

var (
	_ = time.Now
	_ = builder.Select
	_ = expr.Val[int]
	_ = Users
)
`

// negativeFile returns the source of the program for m's bad snippet and the line the compiler
// must report. Every snippet is a main package: go build -o dir skips other packages.
func negativeFile(m mismatch) (src string, badLine int) {
	var b strings.Builder
	fmt.Fprintf(&b, "package main\n\n%s\nfunc main() {\n", preamble)
	if m.setup != "" {
		fmt.Fprintf(&b, "\t%s\n", m.setup)
	}
	badLine = strings.Count(b.String(), "\n") + 1
	fmt.Fprintf(&b, "\t%s\n", m.bad)
	// Use the setup's variables whatever the bad line does with them, so that "declared and not
	// used" cannot stand in for the type error.
	for _, v := range setupVars(m.setup) {
		fmt.Fprintf(&b, "\t_ = %s\n", v)
	}
	b.WriteString("}\n")
	return b.String(), badLine
}

// positiveFile is a program with every mismatch's good form, each in its own function.
func positiveFile() string {
	var b strings.Builder
	fmt.Fprintf(&b, "package main\n\n%s\n", preamble)
	b.WriteString("func main() {\n")
	for i := range mismatches {
		fmt.Fprintf(&b, "\tcase%02d()\n", i)
	}
	b.WriteString("}\n")
	for i, m := range mismatches {
		fmt.Fprintf(&b, "\n// %s\nfunc case%02d() {\n", m.name, i)
		if m.setup != "" {
			fmt.Fprintf(&b, "\t%s\n", m.setup)
		}
		fmt.Fprintf(&b, "\t%s\n", m.good)
		for _, v := range setupVars(m.setup) {
			fmt.Fprintf(&b, "\t_ = %s\n", v)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

var setupVarRE = regexp.MustCompile(`^(?:var\s+(\w+)|(\w+)\s*:=)`)

func setupVars(setup string) []string {
	m := setupVarRE.FindStringSubmatch(setup)
	switch {
	case m == nil:
		return nil
	case m[1] != "":
		return []string{m[1]}
	default:
		return []string{m[2]}
	}
}

// compileError is one compiler message: its position in a snippet file and its text, with
// continuation lines (the compiler's "have ... want ..." details) appended.
type compileError struct {
	line int
	msg  string
}

// parseBuildOutput groups go build's output by package: "# importpath" starts a package's
// errors, "file:line:col: message" is an error, a tab-indented line continues the last one.
func parseBuildOutput(out []byte) (map[string][]compileError, []string) {
	byPkg := map[string][]compileError{}
	var stray []string
	var pkg string
	posRE := regexp.MustCompile(`^[^:\s]+\.go:(\d+):\d+: (.*)$`)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# "):
			pkg = strings.TrimPrefix(line, "# ")
		case strings.HasPrefix(line, "\t") && pkg != "" && len(byPkg[pkg]) > 0:
			errs := byPkg[pkg]
			errs[len(errs)-1].msg += "\n" + line
		default:
			if m := posRE.FindStringSubmatch(line); m != nil && pkg != "" {
				n, _ := strconv.Atoi(m[1])
				byPkg[pkg] = append(byPkg[pkg], compileError{line: n, msg: m[2]})
			} else if strings.TrimSpace(line) != "" {
				stray = append(stray, line)
			}
		}
	}
	return byPkg, stray
}

// moduleRoot is the directory of typedsql's go.mod.
func moduleRoot(t *testing.T, goTool string) string {
	t.Helper()
	out, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("go env GOMOD: the test is not running inside the typedsql module")
	}
	return filepath.Dir(gomod)
}

func write(t *testing.T, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMismatchesDoNotCompile writes a temporary module that imports the real typedsql packages
// (through a replace directive, offline), with one package per mismatch and one program with
// all the correct forms, and compiles everything in one go build. Each mismatch must fail on
// its own line with the expected message, and only there; the program must compile and link.
func TestMismatchesDoNotCompile(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to compile the snippets: %v", err)
	}
	if len(mismatches) < 10 {
		t.Fatalf("only %d mismatches: the typed API promises at least 10 compile-time checks", len(mismatches))
	}
	root := moduleRoot(t, goTool)
	dir := t.TempDir()
	// TYPECHECK_KEEP=/some/dir writes the module there instead, to inspect or rebuild it by hand.
	if d := os.Getenv("TYPECHECK_KEEP"); d != "" {
		dir = d
	}

	write(t, filepath.Join(dir, "go.mod"), "module typecheck.test\n\ngo 1.26\n\n"+
		"require github.com/typedsql/typedsql v0.0.0\n\n"+
		"replace github.com/typedsql/typedsql => "+strconv.Quote(root)+"\n")
	// typedsql's own go.sum vouches for the go.mod files of its requirements, which the module
	// graph reads even though the snippets import none of their packages.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "go.sum"), string(sum))
	write(t, filepath.Join(dir, "schema", "schema.go"), schemaSrc)
	write(t, filepath.Join(dir, "positive", "main.go"), positiveFile())
	badLines := make([]int, len(mismatches))
	for i, m := range mismatches {
		pkg := fmt.Sprintf("neg%02d", i)
		src, line := negativeFile(m)
		badLines[i] = line
		write(t, filepath.Join(dir, pkg, "snippet.go"), src)
	}

	bin := filepath.Join(dir, "bin") + string(filepath.Separator)
	// -gcflags=-e: report every error of a snippet, not the first ten, so that a second error
	// on another line cannot hide. The environment keeps the build offline and independent of
	// the caller's GOFLAGS (-race, -mod=vendor, ...) and of any go.work.
	cmd := exec.Command(goTool, "build", "-gcflags=-e", "-o", bin, "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local",
		"GOSUMDB=off", "CGO_ENABLED=0")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("go build of %d snippet packages: %v", len(mismatches)+2, time.Since(start).Round(time.Millisecond))
	if err == nil {
		t.Fatalf("go build succeeded, but %d snippets must not compile:\n%s", len(mismatches), out)
	}
	byPkg, stray := parseBuildOutput(out)
	if len(stray) > 0 {
		t.Errorf("go build printed lines outside any package's errors (a broken harness?):\n%s", strings.Join(stray, "\n"))
	}

	for _, pkg := range []string{"positive", "schema"} {
		for _, e := range byPkg["typecheck.test/"+pkg] {
			t.Errorf("%s/ must compile, but line %d: %s", pkg, e.line, e.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(bin, "positive")); err != nil && !t.Failed() {
		t.Errorf("the program with every correct form was not built (%v); go build said:\n%s", err, out)
	}

	for i, m := range mismatches {
		pkg := fmt.Sprintf("typecheck.test/neg%02d", i)
		errs := byPkg[pkg]
		if len(errs) == 0 {
			t.Errorf("%s: compiled, but must not:\n\t%s", m.name, m.bad)
			continue
		}
		found := false
		for _, e := range errs {
			if e.line != badLines[i] {
				t.Errorf("%s: error on line %d, not on the snippet's line %d (a broken snippet?): %s", m.name, e.line, badLines[i], e.msg)
			}
			found = found || strings.Contains(e.msg, m.want)
		}
		if !found {
			var got []string
			for _, e := range errs {
				got = append(got, e.msg)
			}
			t.Errorf("%s: compiler message does not contain\n\t%s\ngot:\n\t%s", m.name, m.want, strings.Join(got, "\n\t"))
		}
	}
	if len(byPkg) != len(mismatches) && !t.Failed() {
		t.Errorf("errors in %d packages, want exactly the %d snippets:\n%s", len(byPkg), len(mismatches), out)
	}
}
