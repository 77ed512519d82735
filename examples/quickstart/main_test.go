package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/output.txt from the current output")

// TestQuickstart runs the whole tour on its own in-memory database and compares what it prints
// with testdata/output.txt, which is the README's promise of what `go run ./examples/quickstart`
// shows: the SQL of each statement and the rows it returned or changed. After a deliberate
// change, run `go test ./examples/quickstart -update` and review the diff.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("quickstart failed: %v\noutput so far:\n%s", err, out.String())
	}
	golden := filepath.Join("testdata", "output.txt")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := out.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("output differs from %s at line %d:\ngot:  %s\nwant: %s\n\nwhole output:\n%s", golden, i+1, g, w, got)
			}
		}
	}
}

// TestQuickstartTwice runs the tour twice at once: each run opens its own in-memory database,
// so neither sees the other's rows (which would change the ids and counts printed).
func TestQuickstartTwice(t *testing.T) {
	done := make(chan string, 2)
	for range 2 {
		go func() {
			var out bytes.Buffer
			if err := run(t.Context(), &out); err != nil {
				done <- "error: " + err.Error()
				return
			}
			done <- out.String()
		}()
	}
	a, b := <-done, <-done
	if a != b || strings.HasPrefix(a, "error: ") {
		t.Fatalf("two concurrent runs differ:\n%s\n----\n%s", a, b)
	}
}
