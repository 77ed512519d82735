package builder_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// FuzzTable's column names need quoting on every engine; the table's own name, schema and
// alias come from the fuzzer.
type FuzzTable struct {
	expr.Table
	ID   expr.Column[int64]    `db:"id"`
	Name expr.Column[string]   `db:"name"`
	Note expr.Nullable[string] `db:"we\"ird"`
	Tick expr.Column[string]   "db:\"we`ird\""
	Data expr.Nullable[[]byte] `db:"data"`
}

// FuzzCTE names a common table expression.
type FuzzCTE struct {
	expr.Table
	Name expr.Column[string] `db:"name"`
	N    expr.Column[int64]  `db:"n"`
}

var fixedIdents = []string{"id", "name", `we"ird`, "we`ird", "data", "n"}

// fuzzStmt is a statement made from fuzzed names and values, with how many times the string
// value and its []byte form are bound.
type fuzzStmt struct {
	name        string
	stmt        builder.Statement
	strs, blobs int
	aliased     bool // uses the fuzzed alias
}

// fuzzStatements builds one statement of each kind, with v bound wherever a value goes and the
// fuzzed names as the table's name, schema, aliases, a select alias and a CTE name.
func fuzzStatements(v, table, schema, alias string) []fuzzStmt {
	t := expr.NewTable[FuzzTable](table, expr.InSchema(schema))
	a := expr.As(t, alias)
	sub := expr.As(t, alias+"_sub")
	cte := expr.NewTable[FuzzCTE](table + "_cte")
	return []fuzzStmt{
		{"select", builder.Select(a.ID, a.Name.As(table), expr.CoalesceExpr(a.Note, expr.Val(v)),
			expr.Case[string]().When(a.Tick.Eq(v), expr.Val(v)).Else(a.Name),
			expr.Concat(a.Name, expr.Val(v))).
			From(a).
			Where(a.Name.Eq(v), a.Note.In(v, v), expr.Like(a.Name, v), a.Tick.Between(v, v),
				expr.Or(a.Name.Ne(v), expr.ILike(a.Tick, v), expr.NotLike(a.Name, v)),
				expr.RawCond("? <> ?", a.Name, v),
				a.ID.InQuery(builder.SelectOne(sub.ID).From(sub).Where(sub.Note.Eq(v))),
				a.Data.Eq([]byte(v))).
			GroupBy(a.ID, a.Name).Having(expr.Max(a.Tick).Ne(v)).
			OrderBy(a.Name.Desc()).Limit(10).Offset(5), 16, 1, true},
		{"insert", builder.InsertInto(t).
			Values(t.Name.Set(v), t.Note.Set(v), t.Tick.Set(v), t.Data.Set([]byte(v))).
			Values(t.Name.Set(v), t.Note.SetNull(), t.Tick.SetExpr(expr.Val(v)), t.Data.Set([]byte(v))).
			OnConflict(t.ID).DoUpdate(t.Name.SetExpr(expr.Excluded(t.Name)), t.Note.Set(v)), 6, 2, false},
		{"update", builder.Update(a).
			Set(a.Name.Set(v), a.Note.SetExpr(expr.Concat(a.Name, expr.Val(v)))).
			Where(a.Tick.Eq(v), a.Data.IsNull()), 3, 0, true},
		{"delete", builder.DeleteFrom(t).
			Where(t.Name.InQuery(builder.SelectOne(sub.Name).From(sub).Where(sub.Note.Eq(v))),
				expr.Not(t.Tick.Eq(v))), 2, 0, true},
		{"with union", builder.Union(
			builder.Select(cte.Name).From(cte).Where(cte.Name.Ne(v)),
			builder.Select(t.Name).From(t).Where(t.Name.Eq(v)),
		).With(builder.CTE(cte, builder.Select(t.Name, expr.Count(t.ID)).From(t).Where(t.Tick.Eq(v)).GroupBy(t.Name))), 3, 0, false},
	}
}

// FuzzRender renders statements of every kind with an arbitrary string as every value and
// arbitrary strings as the table name, schema and aliases, for every dialect, and checks:
//
//   - nothing panics, and Build fails (with ErrInvalid, no SQL, no args) exactly when a name
//     cannot be quoted: an empty table name or a NUL byte in any name;
//   - the SQL text is made of typedsql's own tokens only — keywords, punctuation, numbers,
//     placeholders and quoted identifiers that read back as one of the declared names — so no
//     value and no part of a name reaches the text unquoted;
//   - there is one placeholder per argument ($1, $2, ... in order on PostgreSQL) and the value is
//     among the arguments exactly as many times as the statement binds it, so no value was
//     written into the text instead of being bound, even one that spells a keyword;
//   - the debug form writes each argument as one string literal that reads back as the value.
//
// The seed corpus is in testdata/fuzz/FuzzRender; plain go test runs it. To fuzz:
//
//	go test ./builder -run '^$' -fuzz '^FuzzRender$' -fuzztime 60s -fuzzminimizetime 3s
//
// Each input renders 20 statements, so with the default minimize time (60s) the workers spend
// most of a short run shrinking new inputs instead of trying more.
func FuzzRender(f *testing.F) {
	f.Fuzz(func(t *testing.T, v, table, schema, alias string) {
		badName := table == "" || strings.ContainsRune(table+schema, 0)
		badAlias := strings.ContainsRune(alias, 0)
		idents := map[string]bool{table: true, alias: true, alias + "_sub": true, table + "_cte": true}
		if schema != "" {
			idents[schema] = true
		}
		for _, n := range fixedIdents {
			idents[n] = true
		}
		for _, s := range fuzzStatements(v, table, schema, alias) {
			for _, d := range goldenDialects {
				checkFuzzStmt(t, d, s, v, badName || (s.aliased && badAlias), idents)
			}
		}
	})
}

func checkFuzzStmt(t *testing.T, d dialect.Dialect, s fuzzStmt, v string, wantErr bool, idents map[string]bool) {
	t.Helper()
	where := s.name + "/" + d.Name()
	sql, args, err := s.stmt.Build(d)
	_ = s.stmt.Tables()
	debug := s.stmt.(interface{ DebugSQL(dialect.Dialect) string }).DebugSQL(d)
	if err != nil {
		switch {
		case !wantErr:
			t.Fatalf("%s: Build failed: %v", where, err)
		case !errors.Is(err, expr.ErrInvalid):
			t.Fatalf("%s: Build failed with %v, want an expr.ErrInvalid", where, err)
		case sql != "" || args != nil:
			t.Fatalf("%s: Build failed but returned SQL %q and args %v", where, sql, args)
		case debug != err.Error():
			t.Fatalf("%s: DebugSQL = %q, want the build error %q", where, debug, err)
		}
		return
	}
	if wantErr {
		t.Fatalf("%s: Build succeeded with a name that cannot be quoted: %s", where, sql)
	}

	toks, err := lexSQL(sql, d, false)
	if err != nil {
		t.Fatalf("%s: %v in\n%s", where, err, sql)
	}
	nph := 0
	for _, tok := range toks {
		switch tok.kind {
		case tokIdent:
			if !idents[tok.text] {
				t.Fatalf("%s: identifier %q is none of the names declared, in\n%s", where, tok.text, sql)
			}
		case tokPlaceholder:
			nph++
			if d.Caps().Placeholder == '$' && tok.text != "$"+strconv.Itoa(nph) {
				t.Fatalf("%s: placeholder %s where $%d was due, in\n%s", where, tok.text, nph, sql)
			}
		}
	}
	if nph != len(args) {
		t.Fatalf("%s: %d placeholders for %d args, in\n%s", where, nph, len(args), sql)
	}
	strs, blobs := 0, 0
	for _, a := range args {
		switch x := a.(type) {
		case string:
			if x == v {
				strs++
			}
		case []byte:
			if bytes.Equal(x, []byte(v)) {
				blobs++
			}
		}
	}
	if strs != s.strs || blobs != s.blobs || len(args) != s.strs+s.blobs {
		t.Fatalf("%s: args hold the value %d times and its bytes %d times among %d args, want %d and %d; args %q, SQL\n%s",
			where, strs, blobs, len(args), s.strs, s.blobs, args, sql)
	}

	// Building again gives the same statement: the first Build lent the statement's own
	// argument storage, which must not have been disturbed.
	sql2, args2, err := s.stmt.Build(d)
	if err != nil || sql2 != sql || fmt.Sprintf("%q", args2) != fmt.Sprintf("%q", args) {
		t.Fatalf("%s: second Build differs: %v\n%s %q\n%s %q", where, err, sql, args, sql2, args2)
	}

	dtoks, err := lexSQL(debug, d, true)
	if err != nil {
		t.Fatalf("%s: debug form: %v in\n%s", where, err, debug)
	}
	nlit := 0
	for _, tok := range dtoks {
		if tok.kind != tokString {
			continue
		}
		nlit++
		h := hex.EncodeToString([]byte(v))
		if tok.text != v && tok.text != h && tok.text != `\x`+h {
			t.Fatalf("%s: debug form has the literal %q, which is not the value %q, in\n%s", where, tok.text, v, debug)
		}
	}
	if nlit != len(args) {
		t.Fatalf("%s: debug form has %d string literals for %d args:\n%s", where, nlit, len(args), debug)
	}
}

// FuzzNames checks the names that are written unquoted, as code: a function name (Func) and a
// type name (CastAs). Build either rejects a name with ErrInvalid or writes it as plain words
// and punctuation that stay inside their select item: a type name cannot close CAST(... AS
// type) early and append SQL of its own. Plain identifiers must be accepted.
func FuzzNames(f *testing.F) {
	plain := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`).MatchString
	f.Fuzz(func(t *testing.T, fn, typ string) {
		u := expr.NewTable[FuzzTable]("t")
		stmt := builder.Select(expr.Func[string](fn, u.Name, expr.Val("v")), expr.CastAs[string](u.ID, typ), u.Name).From(u)
		for _, d := range goldenDialects {
			sql, args, err := stmt.Build(d)
			if err != nil {
				if !errors.Is(err, expr.ErrInvalid) || sql != "" || args != nil {
					t.Fatalf("%s: Build(%q, %q) failed with %v (SQL %q, args %v), want only an ErrInvalid", d.Name(), fn, typ, err, sql, args)
				}
				if plain(fn) && plain(typ) {
					t.Fatalf("%s: the plain names %q and %q were refused: %v", d.Name(), fn, typ, err)
				}
				continue
			}
			toks, err := lexSQL(sql, d, false)
			if err != nil {
				t.Fatalf("%s: %v in\n%s", d.Name(), err, sql)
			}
			items := selectItems(toks)
			if len(items) != 3 {
				t.Fatalf("%s: %d select items, want 3 (a name wrote SQL of its own?):\n%s", d.Name(), len(items), sql)
			}
			// The function call is name ( ... ) and the CAST item CAST ( ... ), each with
			// nothing after its closing parenthesis.
			call, cast := items[0], items[1]
			if matchingParen(call, slices.IndexFunc(call, func(k token) bool { return k.text == "(" })) != len(call)-1 ||
				!strings.HasPrefix(sql, "SELECT "+fn+"(") {
				t.Fatalf("%s: the function name %q does not stay a function name:\n%s", d.Name(), fn, sql)
			}
			if len(cast) < 2 || cast[0].text != "CAST" || cast[1].text != "(" || matchingParen(cast, 1) != len(cast)-1 {
				t.Fatalf("%s: the type name %q does not stay inside CAST(...):\n%s", d.Name(), typ, sql)
			}
		}
	})
}

// TestCastAsTypeNames pins what FuzzNames found: a type name whose parentheses do not nest
// closed CAST(x AS ...) early and appended SQL of its own, and an empty one panicked.
func TestCastAsTypeNames(t *testing.T) {
	u := expr.NewTable[FuzzTable]("t")
	for typ, ok := range map[string]bool{
		"NUMERIC(10, 2)": true, "DOUBLE PRECISION": true, "CHAR(2)": true,
		"TEXT) OR (TRUE": false, "INT), (1": false, "CHAR(2))": false, "((": false, ")(": false,
		"": false, // CastAs with no type once panicked (recovered as ErrInternal)
	} {
		sql, _, err := builder.Select(expr.CastAs[string](u.ID, typ)).From(u).Build(dialect.Postgres)
		switch {
		case ok && err != nil:
			t.Errorf("CastAs(%q): %v", typ, err)
		case ok && sql != `SELECT CAST("id" AS `+typ+`) FROM "t"`:
			t.Errorf("CastAs(%q) = %s", typ, sql)
		case !ok && !errors.Is(err, expr.ErrInvalid):
			t.Errorf("CastAs(%q) = %q, %v; want an ErrInvalid", typ, sql, err)
		}
	}
}

// selectItems splits the tokens of SELECT a, b, c FROM ... into the select items: the tokens
// between commas that are outside parentheses, up to FROM.
func selectItems(toks []token) [][]token {
	if len(toks) == 0 || toks[0].text != "SELECT" {
		return nil
	}
	var items [][]token
	var cur []token
	depth := 0
	for _, k := range toks[1:] {
		switch {
		case k.kind == tokPunct && k.text == "(":
			depth++
		case k.kind == tokPunct && k.text == ")":
			depth--
		case depth == 0 && k.kind == tokPunct && k.text == ",":
			items = append(items, cur)
			cur = nil
			continue
		case depth == 0 && k.kind == tokWord && k.text == "FROM":
			return append(items, cur)
		}
		cur = append(cur, k)
	}
	return nil // no FROM
}

// matchingParen is the index of the parenthesis closing the one at open, or -1.
func matchingParen(toks []token, open int) int {
	if open < 0 {
		return -1
	}
	depth := 0
	for i := open; i < len(toks); i++ {
		if toks[i].kind != tokPunct {
			continue
		}
		switch toks[i].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

type tokKind uint8

const (
	tokWord tokKind = iota
	tokNumber
	tokPunct
	tokIdent
	tokPlaceholder
	tokString
)

type token struct {
	kind tokKind
	text string // identifiers and strings unquoted
}

// lexSQL splits SQL text written by typedsql into tokens the way the engine reads them, and
// fails on anything typedsql never writes: a string literal (outside the debug form), a
// comment, a quote of the other engines, a control character, any byte outside its grammar.
func lexSQL(sql string, d dialect.Dialect, debug bool) ([]token, error) {
	q := d.Caps().IdentQuote
	numbered := d.Caps().Placeholder == '$'
	backslashEscapes := d.Caps().BackslashEscapes // MySQL, MariaDB
	// The dialect's LIKE escape clause (ESCAPE '\' on SQLite) is typedsql's one fixed literal.
	likeEscape := strings.TrimSpace(d.Caps().LikeEscape)
	var toks []token
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case likeEscape != "" && strings.HasPrefix(sql[i:], likeEscape):
			toks = append(toks, token{tokWord, likeEscape})
			i += len(likeEscape)
		case c == ' ':
			i++
		case c == q:
			var b []byte
			j := i + 1
			for ; ; j++ {
				if j >= len(sql) {
					return nil, fmt.Errorf("unterminated identifier at byte %d", i)
				}
				if sql[j] == q {
					if j+1 < len(sql) && sql[j+1] == q {
						b = append(b, q)
						j++
						continue
					}
					break
				}
				b = append(b, sql[j])
			}
			toks = append(toks, token{tokIdent, string(b)})
			i = j + 1
		case c == '\'' && debug:
			var b []byte
			j := i + 1
			for ; ; j++ {
				if j >= len(sql) {
					return nil, fmt.Errorf("unterminated string literal at byte %d", i)
				}
				if sql[j] == '\\' && backslashEscapes {
					if j+1 >= len(sql) {
						return nil, fmt.Errorf("backslash at the end of a string literal at byte %d", j)
					}
					b = append(b, sql[j+1])
					j++
					continue
				}
				if sql[j] == '\'' {
					if j+1 < len(sql) && sql[j+1] == '\'' {
						b = append(b, '\'')
						j++
						continue
					}
					break
				}
				b = append(b, sql[j])
			}
			toks = append(toks, token{tokString, string(b)})
			i = j + 1
		case c == '$' && numbered && !debug:
			j := i + 1
			for j < len(sql) && isDigit(sql[j]) {
				j++
			}
			if j == i+1 {
				return nil, fmt.Errorf("$ without a number at byte %d", i)
			}
			toks = append(toks, token{tokPlaceholder, sql[i:j]})
			i = j
		case c == '?' && !numbered && !debug:
			toks = append(toks, token{tokPlaceholder, "?"})
			i++
		case isLetter(c):
			j := i + 1
			for j < len(sql) && (isLetter(sql[j]) || isDigit(sql[j])) {
				j++
			}
			toks = append(toks, token{tokWord, sql[i:j]})
			i = j
		case isDigit(c):
			j := i + 1
			for j < len(sql) && isDigit(sql[j]) {
				j++
			}
			toks = append(toks, token{tokNumber, sql[i:j]})
			i = j
		case strings.IndexByte("(),.=<>*+-/|", c) >= 0:
			if rest := sql[i:]; strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "/*") {
				return nil, fmt.Errorf("comment at byte %d", i)
			}
			toks = append(toks, token{tokPunct, sql[i : i+1]})
			i++
		default:
			return nil, fmt.Errorf("byte %q at %d is not typedsql's SQL", c, i)
		}
	}
	return toks, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
