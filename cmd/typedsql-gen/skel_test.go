package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkel writes the skel program for two tables into a temporary module and runs it: it
// creates the tables on an in-memory SQLite database, writes and reads a row of each, and
// logs its statements.
func TestSkel(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"skel", "Users", "order_items"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit status %d: %s", code, stderr.String())
	}
	mod := tempModule(t)
	if err := os.WriteFile(filepath.Join(mod, "main.go"), stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd(t, mod, "vet", ".")
	cmd := offlineGo(mod, "run", ".")
	var out, logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &logs
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run: %v\n%s", err, logs.String())
	}
	if got, want := out.String(), "users: 1 row(s)\norder_items: 1 row(s)\n"; got != want {
		t.Errorf("the skel program printed %q, want %q", got, want)
	}
	for _, want := range []string{`msg="conn: exec"`, `CREATE TABLE \"order_items\"`, `INSERT INTO \"users\"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %s:\n%s", want, logs.String())
		}
	}
}

func TestSkelErrors(t *testing.T) {
	for _, args := range [][]string{{"skel"}, {"skel", "users", "Users"}, {"skel", "---"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage || stdout.Len() > 0 || stderr.Len() == 0 {
			t.Errorf("%v: exit status %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
}
