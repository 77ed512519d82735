package expr_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
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

// TestNoBuilderPlumbingExported: what only the builder package's statements use is unexported
// and reached through internal/render's Link, so that expr's documentation shows applications
// only what they use (issue 12 part 4). A name here reappearing in go doc fails the test.
//
// Still exported, though only statements use them, because a call through a function value
// would cost (see render.Link): Writer.Frame, SetSoleSource, the generated walks of a
// statement's parts (Walk...Key and Walk...SQL, see walk.go) and Source's WriteSource and
// WriteName (called on every render), Shape and its methods, RenderShaped and AppendConds (they take
// a statement's own storage, which would escape to the heap: three allocations per Build), and
// Assignment's BelongsTo, SameColumn, WriteColumn and WriteValue (called once per
// assignment). Assignment.Value, SchemaAndName and TooManyArgs serve package conn too.
func TestNoBuilderPlumbingExported(t *testing.T) {
	plumbing := []string{
		"Writer.Clause", "Writer.Scope", "Writer.RestoreScope",
		"Writer.SetNoSource", "Writer.SetBare", "Writer.DeclareCTE", "Writer.WriteColumnName",
		"Table.WriteRef",
		"ColumnOfSource", "Assignment.Args", "Writer.ReserveArgs",
	}
	api := exportedAPI(t)
	if !slices.Contains(api, "Writer.Text") || !slices.Contains(api, "Table.TableName") {
		t.Fatalf("the API listing misses known names: %v", api)
	}
	for _, name := range plumbing {
		if slices.Contains(api, name) {
			t.Errorf("%s is exported: builder plumbing belongs behind render.Link", name)
		}
	}
	// What a user's own Expression needs of the Writer (see Writer's doc), and the four a
	// statement calls on every render, which stay direct calls (see Writer's doc).
	want := []string{"Arg", "Caps", "Char", "Dialect", "Err", "Fail", "Ident", "Int", "Text",
		"Unsupported", "WriteList", "Frame", "SetSoleSource"}
	for _, name := range api {
		m, ok := strings.CutPrefix(name, "Writer.")
		if ok && !slices.Contains(want, m) {
			t.Errorf("Writer.%s is exported: add it to Writer's doc and this list if an application's expression needs it, else unexport it", m)
		}
	}
}
