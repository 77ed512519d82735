package config

import (
	"encoding/json"
	"net/url"
	"strings"
)

// A Config travels inside other values: a service's settings struct logged by slog's JSON
// handler, dumped with json.Marshal or written back as YAML. Those encoders walk the exported
// fields and never call String or LogValue, so the Config encodes itself, with its secrets
// masked, and its structure kept so that the dump still reads as a configuration.
//
// fmt reaches String only through exported fields and pointers: a Config held in an
// unexported field of another struct is printed by fmt field by field, which no method can
// prevent. Keep configs in exported fields, behind a pointer, or log them with slog.

// MarshalJSON writes the Config as JSON with the password, the URL's password and every
// secret driver argument (password=, sslpassword=, ...) reading "xxxxx". A Config read back
// from that JSON has lost its password, on purpose.
//
//	json.Marshal(conn.Config{URL: "postgres://app:s3cret@db/app"})
//	// {"url":"postgres://app:xxxxx@db/app","pool":{},"sqlite":{}}
func (c Config) MarshalJSON() ([]byte, error) {
	type fields Config // the same fields without the methods, so that this does not recurse
	return json.Marshal(fields(c.masked()))
}

// MarshalYAML writes the Config as YAML with its secrets masked, as MarshalJSON does.
func (c Config) MarshalYAML() (any, error) {
	type fields Config
	return fields(c.masked()), nil
}

// masked returns a copy of c whose secrets read "xxxxx". The copy shares nothing mutable with
// c: DriverArgs is a new map.
func (c Config) masked() Config {
	m := c
	if m.Password != "" {
		m.Password = redactedPassword
	}
	if m.DriverArgs != nil {
		m.DriverArgs = make(map[string]string, len(c.DriverArgs))
		for k, v := range c.DriverArgs {
			if isSecretArg(k) || (v != "" && v == c.Password) {
				v = redactedPassword
			}
			m.DriverArgs[k] = v
		}
	}
	if m.URL != "" {
		m.URL = maskURL(c.URL, Secrets(c))
	}
	return m
}

// maskURL masks the password in a database URL's user info and the values of its secret
// query parameters, keeping the rest as written. A URL that does not parse is replaced
// whole: any part of it might be the password.
func maskURL(raw string, secrets []string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return "invalid URL (hidden: it may hold a password)"
	}
	var urlSecrets []string
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			urlSecrets = append(urlSecrets, pw)
			u.User = url.UserPassword(u.User.Username(), redactedPassword)
		}
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return "invalid URL (hidden: it may hold a password)"
		}
		for k, vs := range q {
			for i, v := range vs {
				if isSecretArg(k) {
					urlSecrets = append(urlSecrets, v)
					vs[i] = redactedPassword
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	s := u.String()
	// The password may also stand in the path or the host of a mistyped URL: mask any
	// remaining copy, escaped or not.
	for _, p := range append(urlSecrets, secrets...) {
		if p == "" {
			continue
		}
		for _, form := range []string{p, url.QueryEscape(p), url.PathEscape(p)} {
			s = strings.ReplaceAll(s, form, redactedPassword)
		}
	}
	return s
}
