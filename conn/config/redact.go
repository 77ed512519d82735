package config

import (
	"log/slog"
	"strings"
)

// Mask stands in for a password wherever a config is shown: "xxxxx".
const Mask = "xxxxx"

// redactedPassword is Mask, by the name the redaction code uses.
const redactedPassword = Mask

// isSecretArg reports whether a driver argument holds a secret (password=, sslpassword=,
// passwd=, auth_token=...), so that it is masked like the password.
func isSecretArg(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "pass") || strings.Contains(k, "secret") ||
		strings.Contains(k, "token") || k == "pwd"
}

// Secrets lists the strings of a config that must never be shown: the values of the settings
// the settings table marks secret (the password) and of secret driver arguments. Whatever
// shows text that may quote them (an error, a log record) masks them with Mask.
func Secrets(c Config) []string {
	var s []string
	for i := range params {
		if params[i].secret != nil {
			if v := params[i].secret(&c); v != "" {
				s = append(s, v)
			}
		}
	}
	for k, v := range c.DriverArgs {
		if v != "" && isSecretArg(k) {
			s = append(s, v)
		}
	}
	return s
}

// LogValue makes log/slog record a Config as its redacted URL, whatever the handler (the
// JSON handler would otherwise marshal the password field).
func (c Config) LogValue() slog.Value { return slog.StringValue(c.Redacted()) }
