package conn

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
)

// openMySQL translates the config into go-sql-driver/mysql's Config. Driver arguments go
// through the driver's own parameter parser (so tls, charset, collation, loc and server
// variables such as sql_mode mean what the driver documents); the address, user, password and
// database are set as fields, never spliced into a DSN string.
func openMySQL(r Config) (backend, error) {
	mc, err := mysqlDriverArgs(r.DriverArgs)
	if err != nil {
		return nil, fmt.Errorf("conn: mysql driver arguments for %s: %w", r.redactedURL(), redactErr(err, r.secrets()...))
	}
	mc.User = r.User
	mc.Passwd = r.Password
	mc.Net = "tcp"
	mc.Addr = net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	mc.DBName = r.Database
	if _, set := r.DriverArgs["parseTime"]; !set {
		mc.ParseTime = true // DATETIME and TIMESTAMP scan into time.Time, as on the other engines
	}
	if r.ConnectTimeout > 0 {
		mc.Timeout = time.Duration(r.ConnectTimeout)
	}
	mc.Logger = mysqlLogger{}
	connector, err := mysql.NewConnector(mc)
	if err != nil {
		return nil, fmt.Errorf("conn: mysql config for %s: %w", r.redactedURL(), redactErr(err, r.secrets()...))
	}
	return newSQLBackendFor(connector, r), nil
}

// mysqlDriverArgs parses the driver arguments with the driver's own parser. The parser
// panics on a few arguments; that panic becomes an error here.
func mysqlDriverArgs(args map[string]string) (mc *mysql.Config, err error) {
	if len(args) == 0 {
		return mysql.NewConfig(), nil
	}
	q := url.Values{}
	for k, v := range args {
		q.Set(k, v)
	}
	defer func() {
		if p := recover(); p != nil {
			mc, err = nil, fmt.Errorf("the driver rejected them: %v", p)
		}
	}()
	return mysql.ParseDSN("/?" + q.Encode())
}

// mysqlLogger sends the driver's own messages ("closing bad idle connection") to log/slog
// instead of the standard logger the driver writes to by default.
type mysqlLogger struct{}

func (mysqlLogger) Print(v ...any) { slog.Warn("mysql driver: " + fmt.Sprint(v...)) }
