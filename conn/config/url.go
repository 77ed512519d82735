package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/typedsql/typedsql/internal/engine"
)

// ParseURL reads a database URL into a Config:
//
//	postgres://user:pass@host:5432/db?sslmode=disable&pool_max_conns=20
//	postgresql://...                        (the same)
//	mysql://user:pass@host:3306/db?charset=utf8mb4
//	mariadb://user:pass@host:3306/db        (MySQL protocol, MariaDB dialect: RETURNING allowed)
//	sqlite:///relative/path.db              (three slashes: a path relative to the working directory)
//	sqlite:////absolute/path.db             (four slashes: an absolute path)
//	sqlite:///:memory:                      (one in-memory database shared by the DB's connections)
//	sqlite://relative.db                    (two slashes: relative, as Emmett writes it)
//	sqlite://                               (no path: in memory, as peewee reads it)
//	postgres+pool://..., mysql+pool://...   (peewee's pooled schemes: the same, every DB is a pool)
//
// A URL that names no database follows its driver: postgres://host connects to the database
// named like the user (libpq's rule: PGDATABASE, else the user, itself PGUSER or the system's
// user when the URL has none), and the resolved Config, String and connect errors show that
// name; mysql://host is refused, because every statement on an unqualified table would fail
// with "No database selected".
//
// Pool parameters (pool_max_conns, pool_min_conns, pool_max_conn_lifetime,
// pool_max_conn_idle_time, pool_acquire_timeout, pool_health_check_period,
// pool_close_timeout; peewee's max_connections and stale_timeout are aliases of
// pool_max_conns and pool_max_conn_lifetime), connect_timeout
// and, for SQLite, the pragmas journal_mode, foreign_keys, busy_timeout (a bare number is
// milliseconds, as in the pragma), cache_size, mmap_size, synchronous and _txlock are read by conn; every other query parameter goes to
// the driver as it is (sslmode, application_name, charset, tls, _time_format, ...). Durations
// are Go durations ("30s") or numbers of seconds. Errors never repeat the URL or a part of it
// that could be the password.
func ParseURL(raw string) (Config, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		if strings.TrimSpace(raw) == "" {
			return Config{}, errors.New("conn: empty database URL: want postgres://, mysql://, mariadb:// or sqlite:///")
		}
		return Config{}, errors.New("conn: database URL has no scheme: want postgres://, mysql://, mariadb:// or sqlite:///")
	}
	adapter, eng, err := urlEngine(scheme)
	if err != nil {
		return Config{}, err
	}
	if eng.File {
		return parseFileURL(adapter, rest)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, urlParseError(err)
	}
	if u.Opaque != "" || u.Fragment != "" || u.RawFragment != "" {
		return Config{}, errors.New("conn: invalid database URL: it has a '#' or no '//': percent-encode reserved characters (/ # ? @ :) in the password")
	}
	cfg := Config{Adapter: adapter, Host: u.Hostname()}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return Config{}, fmt.Errorf("conn: invalid port %q in database URL: want 1 to 65535", p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	cfg.Database = strings.TrimPrefix(u.Path, "/")
	if strings.Contains(cfg.Database, "/") {
		return Config{}, fmt.Errorf("conn: database name %q in URL has a '/': the path is the database name only", cfg.Database)
	}
	if err := cfg.setParams(u.RawQuery); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// urlParseError describes a net/url error without quoting it: its text repeats pieces of the
// URL (an "invalid port" that is really half of a password holding a '/' or '#').
func urlParseError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	hint := "it cannot be parsed"
	switch {
	case strings.Contains(msg, "invalid port"):
		hint = "the part after the host's ':' is not a port"
	case strings.Contains(msg, "in host name"):
		hint = "the host name has a character not allowed there"
	case strings.Contains(msg, "invalid userinfo"):
		hint = "the user or password has a character not allowed there"
	case strings.Contains(msg, "invalid URL escape"):
		hint = "a '%' is not followed by two hex digits"
	case strings.Contains(msg, "control character"):
		hint = "it contains a control character"
	}
	return errors.New("conn: invalid database URL: " + hint + " (percent-encode reserved characters such as / # ? @ : % in the password)")
}

// parseFileURL reads what follows "sqlite://" (a file engine's scheme): "/relative.db",
// "//absolute.db", "/:memory:" or, Emmett's form, "relative.db". It is read by hand because
// ":memory:" and Windows-style names do not survive net/url's host parsing.
func parseFileURL(adapter, rest string) (Config, error) {
	path, query, _ := strings.Cut(rest, "?")
	path = strings.TrimPrefix(path, "/")
	if path == "" {
		// peewee reads sqlite:// with no path as an in-memory database.
		path = ":memory:"
	}
	name, err := url.PathUnescape(path)
	if err != nil {
		return Config{}, fmt.Errorf("conn: sqlite URL path %q: a '%%' is not followed by two hex digits", path)
	}
	cfg := Config{Adapter: adapter, Database: name}
	if err := cfg.setParams(query); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// urlEngine returns the adapter and engine a URL's scheme names: the engine packages register
// their schemes (internal/engine).
func urlEngine(scheme string) (string, *engine.Engine, error) {
	if scheme == "" {
		return "", nil, errors.New("conn: database URL has no scheme: want postgres://, mysql://, mariadb:// or sqlite:///")
	}
	// peewee's pooled databases: postgres+pool://, mysql+pool://. Every DB is a pool here.
	if base, ok := cutSuffixFold(scheme, poolSuffix); ok && base != "" {
		scheme = base
	}
	adapter, e, err := engineOf(scheme)
	if err != nil {
		return "", nil, err
	}
	if e == nil {
		return "", nil, fmt.Errorf("conn: unknown database URL scheme %q: want postgres, postgresql, mysql, mariadb or sqlite", scheme)
	}
	return adapter, e, nil
}

// poolSuffix is the scheme suffix peewee's db_url gives its pooled databases.
const poolSuffix = "+pool"

// cutSuffixFold is strings.CutSuffix without regard to case.
func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// setParams applies a URL query string, in order, so that the last of repeated keys wins.
func (c *Config) setParams(rawQuery string) error {
	if rawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return errors.New("conn: database URL query: a parameter is not percent-encoded properly")
	}
	for key, vals := range q {
		if key == "" {
			return errors.New("conn: database URL query has a parameter with no name")
		}
		if err := c.setParam(key, vals[len(vals)-1]); err != nil {
			return err
		}
	}
	return nil
}

// setParam applies one URL query parameter: conn's own, or a driver argument.
func (c *Config) setParam(key, val string) error {
	show := val
	if isSecretArg(key) {
		show = redactedPassword
	}
	if p, ok := urlParams[key]; ok && (!p.sqliteOnly || fileEngine(c.Adapter)) {
		return p.set(c, key, val, show)
	}
	if c.DriverArgs == nil {
		c.DriverArgs = map[string]string{}
	}
	c.DriverArgs[key] = val
	return nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "yes":
		return true, nil
	case "off", "no":
		return false, nil
	}
	return strconv.ParseBool(s)
}

// parseDuration accepts a Go duration ("30s") or a bare number of seconds ("30"), the form
// libpq uses for connect_timeout.
func parseDuration(s string) (Duration, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("want a duration such as 30s or a number of seconds")
	}
	return Duration(d), nil
}

// Redacted returns the configuration as a URL with the password (and any secret driver
// argument) replaced by "xxxxx", for logs and error messages.
func (c Config) Redacted() string {
	r, err := c.resolve()
	if err != nil {
		return "invalid config (" + err.Error() + ")"
	}
	return r.redactedURL()
}

// String is Redacted, so printing a Config with %v or %+v never shows its password.
func (c Config) String() string { return c.Redacted() }

// GoString keeps %#v from printing the password too.
func (c Config) GoString() string { return "conn.Config(" + c.Redacted() + ")" }
