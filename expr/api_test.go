package expr_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/expr"
)

// exportedAPI lists the package's exported API as go doc shows it: functions, types, methods
// ("Type.Method") and the exported methods of exported interfaces ("Interface.Method").
func exportedAPI(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/typedsql/typedsql/expr")
	if err != nil {
		t.Fatal(err)
	}
	var api []string
	for _, f := range pkg.Funcs {
		api = append(api, f.Name)
	}
	for _, typ := range pkg.Types {
		api = append(api, typ.Name)
		for _, f := range typ.Funcs {
			api = append(api, f.Name)
		}
		for _, m := range typ.Methods {
			api = append(api, typ.Name+"."+m.Name)
		}
		for _, spec := range typ.Decl.Specs {
			it, ok := spec.(*ast.TypeSpec).Type.(*ast.InterfaceType)
			if !ok {
				continue
			}
			for _, m := range it.Methods.List {
				for _, n := range m.Names {
					if n.IsExported() {
						api = append(api, typ.Name+"."+n.Name)
					}
				}
			}
		}
	}
	return api
}

// TestNoBuilderPlumbingExported: what only the builder package's statements (and package
// conn's COPY) use is unexported or a method of Plumbing, whose methods go doc does not list,
// so that expr's documentation shows applications only what they use (issue 12 part 4). A
// name here reappearing in go doc fails the test. Shape and its methods stay in sight: the
// statements' walks name the type, and its doc says whose it is.
func TestNoBuilderPlumbingExported(t *testing.T) {
	plumbing := []string{
		"Writer.Clause", "Writer.Scope", "Writer.RestoreScope", "Writer.SetNoSource",
		"Writer.SetBare", "Writer.DeclareCTE", "Writer.WriteColumnName", "Writer.ReserveArgs",
		"Writer.Frame", "Writer.SetSoleSource", "Table.WriteRef", "Table.WriteSource",
		"Table.WriteName", "Source.WriteSource", "Source.WriteName", "ColumnOfSource",
		"Assignment.Args", "Assignment.BelongsTo", "Assignment.SameColumn",
		"Assignment.WriteColumn", "Assignment.WriteValue", "RenderShaped", "AppendConds",
	}
	api := exportedAPI(t)
	if !slices.Contains(api, "Writer.Text") || !slices.Contains(api, "Table.TableName") {
		t.Fatalf("the API listing misses known names: %v", api)
	}
	for _, name := range api {
		if slices.Contains(plumbing, name) || strings.HasPrefix(name, "Walk") {
			t.Errorf("%s is exported: the statements' plumbing belongs to Plumbing", name)
		}
	}
	// What a user's own Expression needs of the Writer (see Writer's doc).
	want := []string{"Arg", "Caps", "Char", "Dialect", "Err", "Fail", "Ident", "Int", "Text",
		"Unsupported", "WriteList"}
	for _, name := range api {
		m, ok := strings.CutPrefix(name, "Writer.")
		if ok && !slices.Contains(want, m) {
			t.Errorf("Writer.%s is exported: add it to Writer's doc and this list if an application's expression needs it, else make it Plumbing's", m)
		}
	}
	// The plumbing is still there for the statements, as methods of Plumbing.
	for _, name := range []string{"WalkCondsSQL", "WalkCondsKey", "RenderShaped", "Frame", "WriteSource"} {
		if _, ok := reflect.TypeOf(expr.Plumbing).MethodByName(name); !ok {
			t.Errorf("Plumbing has no method %s", name)
		}
	}
}
