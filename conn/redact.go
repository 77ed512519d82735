package conn

import (
	"log/slog"
	"strings"
)

// redactedPassword stands in for a password wherever a config is shown.
const redactedPassword = "xxxxx"

// isSecretArg reports whether a driver argument holds a secret (password=, sslpassword=,
// passwd=, auth_token=...), so that it is masked like the password.
func isSecretArg(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "pass") || strings.Contains(k, "secret") ||
		strings.Contains(k, "token") || k == "pwd"
}

// secrets lists the strings of a config that must never be shown: the password and the
// values of secret driver arguments.
func (c Config) secrets() []string {
	var s []string
	if c.Password != "" {
		s = append(s, c.Password)
	}
	for k, v := range c.DriverArgs {
		if v != "" && isSecretArg(k) {
			s = append(s, v)
		}
	}
	return s
}

// redactString masks every secret in s.
func redactString(s string, secrets []string) string {
	for _, p := range secrets {
		if p != "" && strings.Contains(s, p) {
			s = strings.ReplaceAll(s, p, redactedPassword)
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

// LogValue makes log/slog record a Config as its redacted URL, whatever the handler (the
// JSON handler would otherwise marshal the password field).
func (c Config) LogValue() slog.Value { return slog.StringValue(c.Redacted()) }

// GoString keeps %#v of a DB to its redacted URL.
func (db *DB) GoString() string { return "conn.DB(" + db.String() + ")" }

// LogValue makes log/slog record a DB as its redacted URL.
func (db *DB) LogValue() slog.Value { return slog.StringValue(db.String()) }
