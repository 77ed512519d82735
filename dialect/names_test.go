package dialect_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// engineNames are the words that name an engine: the dialects' names and the URL schemes and
// driver names that stand for them.
var engineNames = map[string]bool{
	"postgres": true, "postgresql": true, "pgx": true, "mysql": true, "mariadb": true,
	"sqlite": true, "sqlite3": true,
}

// knownEngineComparisons are the comparisons of engine names outside package dialect that
// are still there, counted per file (each case of a switch counts). conn's went when the
// engine packages (conn/postgres, conn/mysql, conn/sqlite) came to register their URL schemes
// and the facts conn used to switch on (internal/engine). A new comparison anywhere, in these
// files too, fails the test.
var knownEngineComparisons = map[string]int{
	// The test harness starts real servers, one docker image per engine, and tells MariaDB
	// from MySQL by the server's version string: it is about servers, not dialects.
	"testcontainers/database.go": 1,
}

// TestNoEngineNameComparisonsOutsideDialect holds the rule that package dialect is the only
// place that knows an engine: code elsewhere asks a Dialect or its Capabilities, and never
// compares a dialect's Name() or an engine name. It reads every non-test Go file of the
// module outside dialect/ and reports any ==, != or switch that compares with Name() or
// with a string naming an engine, and strings.EqualFold and friends on one.
func TestNoEngineNameComparisonsOutsideDialect(t *testing.T) {
	root := filepath.Join("..")
	found := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if rel == "dialect" || e.Name() == "testdata" || strings.HasPrefix(e.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			if rel != "." {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module (bench/)
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, pos := range engineComparisons(f) {
			found[rel] = append(found[rel], fset.Position(pos).String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files := make([]string, 0, len(found))
	for f := range found {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		if len(found[f]) != knownEngineComparisons[f] {
			t.Errorf("%s compares engine names %d times (known: %d): ask the dialect instead (dialect.Capabilities, or a new capability there):\n\t%s",
				f, len(found[f]), knownEngineComparisons[f], strings.Join(found[f], "\n\t"))
		}
	}
	for f, n := range knownEngineComparisons {
		if len(found[f]) == 0 && n > 0 {
			t.Errorf("%s no longer compares engine names: remove it from knownEngineComparisons", f)
		}
	}
}

// engineComparisons returns where f compares a dialect name or an engine name.
func engineComparisons(f *ast.File) []token.Pos {
	var out []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BinaryExpr:
			if (x.Op == token.EQL || x.Op == token.NEQ) && (namesEngine(x.X) || namesEngine(x.Y)) {
				out = append(out, x.Pos())
			}
		case *ast.SwitchStmt:
			if x.Tag != nil && isNameCall(x.Tag) {
				out = append(out, x.Pos())
				return true
			}
			for _, s := range x.Body.List {
				for _, v := range s.(*ast.CaseClause).List {
					if isEngineLiteral(v) {
						out = append(out, v.Pos())
					}
				}
			}
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "EqualFold", "HasPrefix", "HasSuffix", "Contains":
					for _, a := range x.Args {
						if namesEngine(a) {
							out = append(out, x.Pos())
							break
						}
					}
				}
			}
		}
		return true
	})
	return out
}

func namesEngine(e ast.Expr) bool { return isNameCall(e) || isEngineLiteral(e) }

// isNameCall reports x.Name(), a dialect's (or anything's) name.
func isNameCall(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok || len(c.Args) != 0 {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Name"
}

func isEngineLiteral(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return false
	}
	s, err := strconv.Unquote(lit.Value)
	return err == nil && engineNames[strings.ToLower(s)]
}
