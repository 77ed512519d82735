package conn

import (
	"log/slog"
	"strings"

	"github.com/typedsql/typedsql/conn/config"
)

// redactString masks every secret in s.
func redactString(s string, secrets []string) string {
	for _, p := range secrets {
		if p != "" && strings.Contains(s, p) {
			s = strings.ReplaceAll(s, p, config.Mask)
		}
	}
	return s
}

// redactErr keeps secrets out of an error's text (a driver may echo its connection string)
// while errors.Is and errors.As still see the original.
func redactErr(err error, secrets ...string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	msg := err.Error()
	if red := redactString(msg, secrets); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// GoString keeps %#v of a DB to its redacted URL.
func (db *DB) GoString() string { return "conn.DB(" + db.String() + ")" }

// LogValue makes log/slog record a DB as its redacted URL.
func (db *DB) LogValue() slog.Value { return slog.StringValue(db.String()) }
