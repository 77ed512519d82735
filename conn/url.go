package conn

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
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
//
// Pool parameters (pool_max_conns, pool_min_conns, pool_max_conn_lifetime,
// pool_max_conn_idle_time, pool_acquire_timeout, pool_health_check_period), connect_timeout
// and, for SQLite, the pragmas journal_mode, foreign_keys, busy_timeout, cache_size,
// mmap_size and synchronous are read by conn; every other query parameter goes to the driver.
// Errors never repeat the URL, so a password in it cannot leak.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, password included
		}
		return Config{}, fmt.Errorf("conn: invalid database URL: %w", err)
	}
	adapter, err := adapterOf(u.Scheme)
	if err != nil {
		return Config{}, err
	}
	cfg := Config{Adapter: adapter}
	if adapter == "sqlite" {
		if u.Host != "" {
			return Config{}, fmt.Errorf("conn: sqlite URL has a host %q: write sqlite:///relative.db or sqlite:////absolute.db", u.Host)
		}
		cfg.Database = strings.TrimPrefix(u.Path, "/")
		if cfg.Database == "" {
			return Config{}, errors.New("conn: sqlite URL names no file: write sqlite:///relative.db, sqlite:////absolute.db or sqlite:///:memory:")
		}
	} else {
		cfg.Host = u.Hostname()
		if p := u.Port(); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n <= 0 || n > 65535 {
				return Config{}, fmt.Errorf("conn: invalid port %q in database URL", p)
			}
			cfg.Port = n
		}
		if u.User != nil {
			cfg.User = u.User.Username()
			cfg.Password, _ = u.User.Password()
		}
		cfg.Database = strings.TrimPrefix(u.Path, "/")
	}
	for key, vals := range u.Query() {
		if len(vals) == 0 {
			continue
		}
		if err := cfg.setParam(key, vals[len(vals)-1]); err != nil {
			return Config{}, err
		}
	}
	return cfg, nil
}

func adapterOf(scheme string) (string, error) {
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return "postgres", nil
	case "mysql":
		return "mysql", nil
	case "mariadb":
		return "mariadb", nil
	case "sqlite", "sqlite3":
		return "sqlite", nil
	case "":
		return "", errors.New("conn: database URL has no scheme: want postgres://, mysql://, mariadb:// or sqlite:///")
	}
	return "", fmt.Errorf("conn: unknown database URL scheme %q: want postgres, postgresql, mysql, mariadb or sqlite", scheme)
}

// setParam applies one URL query parameter: conn's own, or a driver argument.
func (c *Config) setParam(key, val string) error {
	dur := func(dst *Duration) error {
		d, err := parseDurationParam(val)
		if err != nil {
			return fmt.Errorf("conn: URL parameter %s=%q: %w", key, val, err)
		}
		*dst = d
		return nil
	}
	num := func(dst *int) error {
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return fmt.Errorf("conn: URL parameter %s=%q: want a whole number >= 0", key, val)
		}
		*dst = n
		return nil
	}
	switch key {
	case "pool_max_conns":
		return num(&c.Pool.MaxConns)
	case "pool_min_conns":
		return num(&c.Pool.MinConns)
	case "pool_max_conn_lifetime":
		return dur(&c.Pool.MaxLifetime)
	case "pool_max_conn_idle_time":
		return dur(&c.Pool.MaxIdleTime)
	case "pool_acquire_timeout":
		return dur(&c.Pool.AcquireTimeout)
	case "pool_health_check_period":
		return dur(&c.Pool.HealthCheckPeriod)
	case "connect_timeout":
		return dur(&c.ConnectTimeout)
	}
	if c.Adapter == "sqlite" {
		switch key {
		case "journal_mode":
			c.SQLite.JournalMode = val
			return nil
		case "synchronous":
			c.SQLite.Synchronous = val
			return nil
		case "busy_timeout":
			return dur(&c.SQLite.BusyTimeout)
		case "cache_size":
			return num(&c.SQLite.CacheSize)
		case "mmap_size":
			var n int
			if err := num(&n); err != nil {
				return err
			}
			c.SQLite.MmapSize = int64(n)
			return nil
		case "foreign_keys":
			on, err := strconv.ParseBool(val)
			if err != nil {
				return fmt.Errorf("conn: URL parameter foreign_keys=%q: want true or false", val)
			}
			c.SQLite.ForeignKeys = &on
			return nil
		}
	}
	if c.DriverArgs == nil {
		c.DriverArgs = map[string]string{}
	}
	c.DriverArgs[key] = val
	return nil
}

// parseDurationParam accepts a Go duration ("30s") or a bare number of seconds ("30"), the
// form libpq uses for connect_timeout.
func parseDurationParam(s string) (Duration, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("want a duration such as 30s or a number of seconds")
	}
	return Duration(d), nil
}

// Redacted returns the configuration as a URL with the password replaced by "xxxxx", for
// logs and error messages.
func (c Config) Redacted() string {
	r, err := c.resolve()
	if err != nil {
		return "invalid config (" + err.Error() + ")"
	}
	return r.redactedURL()
}

// String is Redacted, so printing a Config never shows its password.
func (c Config) String() string { return c.Redacted() }

// GoString keeps %#v from printing the password too.
func (c Config) GoString() string { return "conn.Config(" + c.Redacted() + ")" }
