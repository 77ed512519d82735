package config

import (
	"fmt"
	"strconv"
	"time"
)

// param is one setting of a Config: where a URL sets it, where a YAML or JSON config sets it,
// and how an explicit value wins over the URL's. It is the one table that URL parsing
// (setParam), merging a Config over its URL (overlay) and the tests that keep the YAML tags
// in step (TestParamsTable) read; a new setting is one line here.
type param struct {
	// keys are the URL query names: the first is conn's, the others the driver's spellings
	// of the same thing, which land in the same field. None: the URL sets it in its
	// structure (user, host, port, path) or not at all.
	keys []string
	// yaml is the field's path in a YAML or JSON config ("pool.max_conns").
	yaml string
	// sqliteOnly: the keys are conn's only in a SQLite URL; elsewhere they go to the driver.
	sqliteOnly bool
	// secret, when set, reads the setting's value, which must never be shown: Secrets lists
	// it, and every redaction masks it.
	secret func(c *Config) string
	// set parses a URL value into c; show is the value as an error may quote it.
	set func(c *Config, key, val, show string) error
	// merge copies src's value over dst's when src sets it (not zero).
	merge func(dst *Config, src *Config)
}

// params is every setting of a Config that is a value (not a hook, a logger or a tracer).
var params = []param{
	text("", "adapter", func(c *Config) *string { return &c.Adapter }),
	text("", "host", func(c *Config) *string { return &c.Host }),
	number("", "port", func(c *Config) *int { return &c.Port }),
	text("", "user", func(c *Config) *string { return &c.User }),
	secret(passwordField, text("", "password", passwordField)),
	text("", "database", func(c *Config) *string { return &c.Database }),
	duration("connect_timeout", "connect_timeout", func(c *Config) *Duration { return &c.ConnectTimeout }),

	// max_connections and stale_timeout (seconds) are peewee's names (its pooled databases'
	// URLs: postgres+pool://...?max_connections=20&stale_timeout=300).
	number("pool_max_conns", "pool.max_conns", func(c *Config) *int { return &c.Pool.MaxConns }, "max_connections"),
	number("pool_min_conns", "pool.min_conns", func(c *Config) *int { return &c.Pool.MinConns }),
	duration("pool_max_conn_lifetime", "pool.max_lifetime", func(c *Config) *Duration { return &c.Pool.MaxLifetime }, "stale_timeout"),
	duration("pool_max_conn_idle_time", "pool.max_idle_time", func(c *Config) *Duration { return &c.Pool.MaxIdleTime }),
	duration("pool_acquire_timeout", "pool.acquire_timeout", func(c *Config) *Duration { return &c.Pool.AcquireTimeout }),
	duration("pool_health_check_period", "pool.health_check_period", func(c *Config) *Duration { return &c.Pool.HealthCheckPeriod }),
	duration("pool_close_timeout", "pool.close_timeout", func(c *Config) *Duration { return &c.Pool.CloseTimeout }),

	// The pragmas and modernc.org/sqlite's own spellings of them land in one place, so a URL
	// cannot set a pragma twice with different values.
	sqliteOnly(text("journal_mode", "sqlite.journal_mode", func(c *Config) *string { return &c.SQLite.JournalMode }, "_journal_mode", "_journal")),
	sqliteOnly(text("synchronous", "sqlite.synchronous", func(c *Config) *string { return &c.SQLite.Synchronous }, "_synchronous", "_sync")),
	sqliteOnly(text("_txlock", "sqlite.tx_lock", func(c *Config) *string { return &c.SQLite.TxLock }, "txlock")),
	sqliteOnly(busyTimeout("busy_timeout", "sqlite.busy_timeout", "_busy_timeout", "_timeout")),
	sqliteOnly(cacheSize("cache_size", "sqlite.cache_size")),
	sqliteOnly(mmapSize("mmap_size", "sqlite.mmap_size")),
	sqliteOnly(onOff("foreign_keys", "sqlite.foreign_keys", func(c *Config) **bool { return &c.SQLite.ForeignKeys }, "_foreign_keys", "_fk")),
}

// urlParams finds a param by any of its URL keys.
var urlParams = func() map[string]*param {
	m := map[string]*param{}
	for i := range params {
		for _, k := range params[i].keys {
			m[k] = &params[i]
		}
	}
	return m
}()

// keysOf is the keys list of a param: conn's name, then the aliases; none for "".
func keysOf(key string, aliases []string) []string {
	if key == "" {
		return nil
	}
	return append([]string{key}, aliases...)
}

func sqliteOnly(p param) param { p.sqliteOnly = true; return p }

// secret marks a text setting whose value must never be shown.
func secret(field func(*Config) *string, p param) param {
	p.secret = func(c *Config) string { return *field(c) }
	return p
}

func passwordField(c *Config) *string { return &c.Password }

// mergeNonZero is the merge of a comparable field: a zero value in src sets nothing.
func mergeNonZero[T comparable](field func(*Config) *T) func(dst, src *Config) {
	return func(dst, src *Config) {
		var zero T
		if v := *field(src); v != zero {
			*field(dst) = v
		}
	}
}

func text(key, yaml string, field func(*Config) *string, aliases ...string) param {
	return param{keys: keysOf(key, aliases), yaml: yaml, merge: mergeNonZero(field),
		set: func(c *Config, _, val, _ string) error { *field(c) = val; return nil }}
}

func number(key, yaml string, field func(*Config) *int, aliases ...string) param {
	return param{keys: keysOf(key, aliases), yaml: yaml, merge: mergeNonZero(field),
		set: func(c *Config, key, val, show string) error {
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return fmt.Errorf("conn: URL parameter %s=%q: want a whole number >= 0", key, show)
			}
			*field(c) = n
			return nil
		}}
}

func duration(key, yaml string, field func(*Config) *Duration, aliases ...string) param {
	return param{keys: keysOf(key, aliases), yaml: yaml, merge: mergeNonZero(field),
		set: func(c *Config, key, val, show string) error {
			d, err := parseDuration(val)
			if err != nil {
				return fmt.Errorf("conn: URL parameter %s=%q: %w", key, show, err)
			}
			*field(c) = d
			return nil
		}}
}

// busyTimeout is a duration whose bare number is milliseconds, the unit of PRAGMA
// busy_timeout.
func busyTimeout(key, yaml string, aliases ...string) param {
	field := func(c *Config) *Duration { return &c.SQLite.BusyTimeout }
	p := duration(key, yaml, field, aliases...)
	asDuration := p.set
	p.set = func(c *Config, key, val, show string) error {
		if n, err := strconv.Atoi(val); err == nil && n >= 0 {
			*field(c) = Duration(time.Duration(n) * time.Millisecond)
			return nil
		}
		return asDuration(c, key, val, show)
	}
	return p
}

// cacheSize is SQLite's cache_size: pages, or, negative, KiB.
func cacheSize(key, yaml string) param {
	field := func(c *Config) *int { return &c.SQLite.CacheSize }
	return param{keys: keysOf(key, nil), yaml: yaml, merge: mergeNonZero(field),
		set: func(c *Config, _, val, _ string) error {
			n, err := strconv.Atoi(val)
			if err != nil {
				return fmt.Errorf("conn: URL parameter cache_size=%q: want a whole number (pages, or -KiB)", val)
			}
			*field(c) = n
			return nil
		}}
}

func mmapSize(key, yaml string) param {
	field := func(c *Config) *int64 { return &c.SQLite.MmapSize }
	return param{keys: keysOf(key, nil), yaml: yaml, merge: mergeNonZero(field),
		set: func(c *Config, _, val, _ string) error {
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("conn: URL parameter mmap_size=%q: want a number of bytes >= 0", val)
			}
			*field(c) = n
			return nil
		}}
}

// onOff is a switch that may be left unset (nil: the default).
func onOff(key, yaml string, field func(*Config) **bool, aliases ...string) param {
	return param{keys: keysOf(key, aliases), yaml: yaml, merge: mergeNonZero(field),
		set: func(c *Config, key, val, _ string) error {
			on, err := parseBool(val)
			if err != nil {
				return fmt.Errorf("conn: URL parameter %s=%q: want on or off", key, val)
			}
			*field(c) = &on
			return nil
		}}
}
