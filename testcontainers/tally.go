package testcontainers

import (
	"fmt"
	"os"
	"strings"
)

// tally appends "engine<TAB>package dir<TAB>test" to the file TYPEDSQL_TEST_TALLY names, if
// any. go test runs each test binary in its package's directory, so the working directory
// tells packages apart; O_APPEND keeps lines from parallel test binaries whole.
func tally(e Engine, test string) error {
	path := os.Getenv(EnvTally)
	if path == "" {
		return nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%s\t%s\t%s\n", e, clean(dir), clean(test))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// clean keeps a field on one line and free of the separator.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
