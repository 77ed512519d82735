package conn

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

// Defaults applied by resolve.
const (
	defaultMaxConns      = 10
	defaultBusyTimeout   = 5 * time.Second
	defaultPostgresPort  = 5432
	defaultMySQLPort     = 3306
	discardTimeout       = 5 * time.Second
	sqliteMemoryDatabase = ":memory:"
)

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
	if _, err := adapterOf(r.Adapter); err != nil {
		return Config{}, fmt.Errorf("conn: config adapter %q: want postgres, mysql, mariadb or sqlite", r.Adapter)
	}
	r.Adapter, _ = adapterOf(r.Adapter)
	if r.Port < 0 || r.Port > 65535 {
		return Config{}, fmt.Errorf("conn: config port %d: want 1 to 65535", r.Port)
	}
	if r.Adapter == "sqlite" && r.Database == "" {
		return Config{}, errors.New("conn: sqlite config names no database file: set database to a path or \":memory:\"")
	}
	if r.Adapter != "sqlite" && r.Host == "" {
		r.Host = "localhost"
	}
	if r.Port == 0 {
		switch r.Adapter {
		case "postgres":
			r.Port = defaultPostgresPort
		case "mysql", "mariadb":
			r.Port = defaultMySQLPort
		}
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
	if p.MaxLifetime < 0 || p.MaxIdleTime < 0 || p.AcquireTimeout < 0 || p.HealthCheckPeriod < 0 || r.ConnectTimeout < 0 {
		return Config{}, errors.New("conn: pool and connect timeouts cannot be negative")
	}
	if r.SQLite.BusyTimeout == 0 {
		r.SQLite.BusyTimeout = Duration(defaultBusyTimeout)
	}
	return r, nil
}

// overlay copies the explicitly set fields of src over dst.
func overlay(dst *Config, src Config) {
	setS := func(d *string, s string) {
		if s != "" {
			*d = s
		}
	}
	setS(&dst.Adapter, src.Adapter)
	setS(&dst.Host, src.Host)
	setS(&dst.User, src.User)
	setS(&dst.Password, src.Password)
	setS(&dst.Database, src.Database)
	if src.Port != 0 {
		dst.Port = src.Port
	}
	if src.ConnectTimeout != 0 {
		dst.ConnectTimeout = src.ConnectTimeout
	}
	sp, dp := src.Pool, &dst.Pool
	if sp.MaxConns != 0 {
		dp.MaxConns = sp.MaxConns
	}
	if sp.MinConns != 0 {
		dp.MinConns = sp.MinConns
	}
	if sp.MaxLifetime != 0 {
		dp.MaxLifetime = sp.MaxLifetime
	}
	if sp.MaxIdleTime != 0 {
		dp.MaxIdleTime = sp.MaxIdleTime
	}
	if sp.AcquireTimeout != 0 {
		dp.AcquireTimeout = sp.AcquireTimeout
	}
	if sp.HealthCheckPeriod != 0 {
		dp.HealthCheckPeriod = sp.HealthCheckPeriod
	}
	ss, ds := src.SQLite, &dst.SQLite
	setS(&ds.JournalMode, ss.JournalMode)
	setS(&ds.Synchronous, ss.Synchronous)
	if ss.ForeignKeys != nil {
		ds.ForeignKeys = ss.ForeignKeys
	}
	if ss.BusyTimeout != 0 {
		ds.BusyTimeout = ss.BusyTimeout
	}
	if ss.CacheSize != 0 {
		ds.CacheSize = ss.CacheSize
	}
	if ss.MmapSize != 0 {
		ds.MmapSize = ss.MmapSize
	}
	for k, v := range src.DriverArgs {
		if dst.DriverArgs == nil {
			dst.DriverArgs = map[string]string{}
		}
		dst.DriverArgs[k] = v
	}
	dst.ConnectEagerly = dst.ConnectEagerly || src.ConnectEagerly
	dst.OnConnect = src.OnConnect
}

func (r Config) dialect() dialect.Dialect {
	d, _ := dialect.ByName(r.Adapter)
	return d
}

// redactedURL writes a resolved config as a URL whose password, if any, reads "xxxxx".
func (r Config) redactedURL() string {
	if r.Adapter == "sqlite" {
		return "sqlite:///" + r.Database
	}
	u := url.URL{Scheme: r.Adapter, Host: net.JoinHostPort(r.Host, strconv.Itoa(r.Port)), Path: "/" + r.Database}
	switch {
	case r.Password != "":
		u.User = url.UserPassword(r.User, "xxxxx")
	case r.User != "":
		u.User = url.User(r.User)
	}
	if len(r.DriverArgs) > 0 {
		q := url.Values{}
		keys := make([]string, 0, len(r.DriverArgs))
		for k := range r.DriverArgs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			q.Set(k, r.DriverArgs[k])
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
