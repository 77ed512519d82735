package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults applied by resolve.
const (
	defaultMaxConns    = 10
	defaultBusyTimeout = 5 * time.Second
)

// Resolve merges c's URL into its explicit fields (explicit, non-zero fields win), checks the
// result and applies the defaults: what conn.OpenConfig opens. The returned Config has no URL.
//
//	r, err := config.Resolve(config.Config{URL: "postgres://app@db/app", Pool: config.PoolConfig{MaxConns: 20}})
//	// r.Host "db", r.Port 5432, r.Pool.MaxConns 20
func Resolve(c Config) (Config, error) { return c.resolve() }

// RedactedURL writes a resolved config as a URL whose password, and any secret driver
// argument, read "xxxxx": the name conn gives a DB in its String, logs and errors.
func RedactedURL(r Config) string { return r.redactedURL() }

// resolve merges the URL into the explicit fields (explicit, non-zero fields win), checks the
// result and applies defaults. The returned Config has no URL.
func (c Config) resolve() (Config, error) {
	r := c
	if c.URL != "" {
		u, err := ParseURL(c.URL)
		if err != nil {
			return Config{}, err
		}
		r = u
		overlay(&r, c)
	}
	r.URL = ""
	if r.Adapter == "" {
		return Config{}, errors.New("conn: config names no database: set url, or adapter (postgres, mysql, mariadb or sqlite) and the connection fields")
	}
	adapter, eng, err := engineOf(r.Adapter)
	if err != nil {
		return Config{}, err
	}
	if eng == nil {
		return Config{}, fmt.Errorf("conn: config adapter %q: want postgres, mysql, mariadb or sqlite", r.Adapter)
	}
	r.Adapter = adapter
	if r.Port < 0 || r.Port > 65535 {
		return Config{}, fmt.Errorf("conn: config port %d: want 1 to 65535", r.Port)
	}
	if eng.File {
		if r.Database == "" {
			return Config{}, errors.New("conn: sqlite config names no database file: set database to a path or \":memory:\"")
		}
		if r.Host != "" || r.Port != 0 || r.User != "" || r.Password != "" {
			return Config{}, errors.New("conn: sqlite config has a host, port, user or password: SQLite opens a file; set database only")
		}
		if err := r.SQLite.check(); err != nil {
			return Config{}, err
		}
	}
	for k := range r.DriverArgs {
		if k == "" {
			return Config{}, errors.New("conn: config driver_args has an empty name")
		}
	}
	if eng.CheckArgs != nil {
		if err := eng.CheckArgs(r.DriverArgs); err != nil {
			return Config{}, fmt.Errorf("conn: %w", err)
		}
	}
	if !eng.File && r.Host == "" {
		r.Host = "localhost"
	}
	if r.Port == 0 {
		r.Port = eng.DefaultPort
	}
	p := &r.Pool
	if p.MaxConns < 0 || p.MinConns < 0 {
		return Config{}, errors.New("conn: pool max_conns and min_conns cannot be negative")
	}
	if p.MaxConns == 0 {
		p.MaxConns = defaultMaxConns
	}
	if p.MinConns > p.MaxConns {
		return Config{}, fmt.Errorf("conn: pool min_conns %d exceeds max_conns %d", p.MinConns, p.MaxConns)
	}
	if p.MaxLifetime < 0 || p.MaxIdleTime < 0 || p.AcquireTimeout < 0 || p.HealthCheckPeriod < 0 || p.CloseTimeout < 0 || r.ConnectTimeout < 0 {
		return Config{}, errors.New("conn: pool and connect timeouts cannot be negative")
	}
	if r.Database == "" && eng.DefaultDatabase != nil {
		// Show the database the driver will really use (String, logs, connect errors), or
		// refuse a URL that names none where statements could not run.
		user, database, err := eng.DefaultDatabase(r.User)
		if err != nil {
			return Config{}, fmt.Errorf("conn: %s %w", adapter, err)
		}
		r.User, r.Database = user, database
	}
	if r.SQLite.BusyTimeout == 0 {
		r.SQLite.BusyTimeout = Duration(defaultBusyTimeout)
	}
	if r.SQLite.TxLock == "" {
		r.SQLite.TxLock = "immediate"
	}
	return r, nil
}

// check validates the pragma values before they reach a PRAGMA statement, so a typo fails
// Open rather than every connection, and no value can smuggle SQL into the pragma.
func (s SQLiteConfig) check() error {
	oneOf := func(name, v string, allowed ...string) error {
		if v == "" {
			return nil
		}
		for _, a := range allowed {
			if strings.EqualFold(v, a) {
				return nil
			}
		}
		return fmt.Errorf("conn: sqlite %s %q: want one of %s", name, v, strings.Join(allowed, ", "))
	}
	return errors.Join(
		oneOf("journal_mode", s.JournalMode, "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF"),
		oneOf("synchronous", s.Synchronous, "OFF", "NORMAL", "FULL", "EXTRA", "0", "1", "2", "3"),
		oneOf("tx_lock", s.TxLock, "deferred", "immediate", "exclusive"),
		func() error {
			if s.BusyTimeout < 0 || s.MmapSize < 0 {
				return errors.New("conn: sqlite busy_timeout and mmap_size cannot be negative")
			}
			return nil
		}(),
	)
}

// overlay copies the explicitly set fields of src over dst: the settings of the params table
// that src sets, its driver arguments, and its hooks, logger and tracer.
func overlay(dst *Config, src Config) {
	for i := range params {
		params[i].merge(dst, &src)
	}
	for k, v := range src.DriverArgs {
		if dst.DriverArgs == nil {
			dst.DriverArgs = map[string]string{}
		}
		dst.DriverArgs[k] = v
	}
	dst.ConnectEagerly = dst.ConnectEagerly || src.ConnectEagerly
	dst.OnConnect = src.OnConnect
	dst.Logger, dst.LogArguments, dst.Tracer = src.Logger, src.LogArguments, src.Tracer
}

// redactedURL writes a resolved config as a URL whose password, if any, reads "xxxxx".
// Secret driver arguments (password=, sslpassword=), and any whose value is the password,
// read "xxxxx" too.
func (r Config) redactedURL() string {
	q := url.Values{}
	for k, v := range r.DriverArgs {
		if isSecretArg(k) || (v != "" && v == r.Password) {
			v = redactedPassword
		}
		q.Set(k, v)
	}
	query := q.Encode() // sorted by key
	if query != "" {
		query = "?" + query
	}
	if fileEngine(r.Adapter) {
		return r.Adapter + ":///" + r.Database + query
	}
	u := url.URL{Scheme: r.Adapter, Host: net.JoinHostPort(r.Host, strconv.Itoa(r.Port)), Path: "/" + r.Database}
	switch {
	case r.Password != "":
		u.User = url.UserPassword(r.User, redactedPassword)
	case r.User != "":
		u.User = url.User(r.User)
	}
	return u.String() + query
}
