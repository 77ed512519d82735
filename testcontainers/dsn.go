package testcontainers

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// parseServerURL checks that raw is a server URL for e. The error never repeats raw, because
// raw may hold a password: url.Parse's own error quotes its whole input.
func parseServerURL(e Engine, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%s is not a valid URL: %v", e.urlEnv(), err)
	}
	var schemes []string
	switch e {
	case EnginePostgres:
		schemes = []string{"postgres", "postgresql"}
	case EngineMySQL:
		schemes = []string{"mysql", "mariadb"}
	default:
		return nil, fmt.Errorf("testcontainers: engine %s has no server URL", e.title())
	}
	if !contains(schemes, u.Scheme) {
		return nil, fmt.Errorf("%s has scheme %q; want %s://", e.urlEnv(), u.Scheme, schemes[0])
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%s (%s) names no host", e.urlEnv(), u.Redacted())
	}
	if u.User == nil || u.User.Username() == "" {
		return nil, fmt.Errorf("%s (%s) names no user", e.urlEnv(), u.Redacted())
	}
	return u, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// withDatabase returns a copy of the server URL u that names database name instead.
func withDatabase(u *url.URL, name string) *url.URL {
	c := *u
	c.Path = "/" + name
	c.RawPath = ""
	return &c
}

// mysqlConfig turns mysql://user[:pass]@host[:port]/db?params into the driver's Config, with
// parseTime=true so DATETIME columns scan into time.Time. Query parameters are the driver's
// own DSN parameters (tls=, collation=, a system variable like sql_mode=...).
func mysqlConfig(u *url.URL) (*mysql.Config, error) {
	// ParseDSN validates and applies the parameters; the address and credentials are set
	// afterwards so that no character of theirs needs DSN escaping.
	cfg, err := mysql.ParseDSN("/?" + u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("the query parameters of %s: %v", u.Redacted(), err)
	}
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.ParseTime = true
	return cfg, nil
}

// sqliteURL is typedsql's URL for the SQLite file at the absolute path: sqlite:// with an
// empty host, then the path, hence four slashes (sqlite:////tmp/x/test.db).
func sqliteURL(path string) string {
	u := url.URL{Scheme: "sqlite", Path: "/" + path}
	return u.String()
}

// sqliteDSN is the modernc.org/sqlite data source for the file at path: wait up to 5s on a
// locked database instead of failing at once (parallel writers through one pool), enforce
// foreign keys as the server engines do, and write times in the format SQLite's date functions
// read, with sub-second digits and the zone offset.
func sqliteDSN(path string) string {
	return path + "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_time_format=sqlite"
}
