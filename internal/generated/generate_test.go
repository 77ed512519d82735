// Package generated holds the test that keeps generated code in step with its generators.
package generated

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateLeavesTreeUnchanged runs `go generate ./...` on a copy of the module and fails for
// every file the generators would add, change or remove: a generated file edited by hand, or a
// generator changed without regenerating, shows up here instead of in a later diff.
func TestGenerateLeavesTreeUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	copyDir := t.TempDir()
	before := snapshot(t, root)
	for name, data := range before {
		dst := filepath.Join(copyDir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "generate", "./...")
	cmd.Dir = copyDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go generate ./...: %v\n%s", err, out)
	}
	after := snapshot(t, copyDir)
	for name, data := range after {
		old, ok := before[name]
		switch {
		case !ok:
			t.Errorf("go generate adds %s", name)
		case !bytes.Equal(old, data):
			t.Errorf("go generate changes %s: run go generate ./... and commit the result", name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("go generate removes %s", name)
		}
	}
}

// snapshot reads the Go sources and test data of the module at dir, keyed by slash path; the
// nested bench module, VCS data and anything hidden are left out.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || rel == "bench" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !(strings.HasSuffix(rel, ".go") || rel == "go.mod" || rel == "go.sum") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[rel] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
