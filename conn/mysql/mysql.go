// Package mysql links MySQL and MariaDB into package conn, through go-sql-driver/mysql.
// Import it for its side effect, as with a database/sql driver, in the program that opens
// "mysql" or "mariadb" URLs; programs that do not import it do not link the driver:
//
//	import (
//		"github.com/typedsql/typedsql/conn"
//		_ "github.com/typedsql/typedsql/conn/mysql" // registers "mysql" and "mariadb"
//	)
//
//	db, err := conn.Open(ctx, "mariadb://app:secret@localhost/app")
//
// conn keeps what every database/sql engine shares (the pool, reconnecting, transactions);
// this package holds what only the driver knows: how to make its connector from the resolved
// settings, and what its errors mean.
package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"

	"github.com/go-sql-driver/mysql"

	"github.com/typedsql/typedsql/internal/engine"
)

func init() {
	engine.Register(&engine.Engine{
		DefaultPort: 3306,
		DefaultDatabase: func(string) (string, string, error) {
			return "", "", errNoDatabase
		},
		CheckArgs:    checkArgs,
		Connector:    connector,
		Classify:     classify,
		ConnFailure:  connFailure,
		CommitFailed: commitFailed,
		ServerCode:   serverCode,
	}, "mysql", "mariadb")
}

// errNoDatabase refuses a URL or config without a database: MySQL has no default one, and
// every statement on an unqualified table would fail with "No database selected".
var errNoDatabase = errors.New(`URL or config names no database: statements would fail with "No database selected"; write mysql://user@host/dbname, or set database`)

// connector translates the settings into go-sql-driver/mysql's Config. Driver arguments go
// through the driver's own parameter parser (so tls, charset, collation, loc and server
// variables such as sql_mode mean what the driver documents); the address, user, password and
// database are set as fields, never spliced into a DSN string.
func connector(_ context.Context, s engine.Settings) (driver.Connector, error) {
	mc, err := driverArgs(s.DriverArgs)
	if err != nil {
		return nil, fmt.Errorf("mysql driver arguments: %w", err)
	}
	mc.User = s.User
	mc.Passwd = s.Password
	mc.Net = "tcp"
	mc.Addr = net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	mc.DBName = s.Database
	if _, set := s.DriverArgs["parseTime"]; !set {
		mc.ParseTime = true // DATETIME and TIMESTAMP scan into time.Time, as on the other engines
	}
	if s.ConnectTimeout > 0 {
		mc.Timeout = s.ConnectTimeout
	}
	mc.Logger = logger{}
	c, err := mysql.NewConnector(mc)
	if err != nil {
		return nil, fmt.Errorf("mysql config: %w", err)
	}
	return c, nil
}

// checkArgs refuses a driver argument the driver panics on: the long-removed strict.
func checkArgs(args map[string]string) error {
	if _, ok := args["strict"]; ok {
		return errors.New("mysql driver argument strict was removed from the driver: set sql_mode on the server or as a driver argument instead")
	}
	return nil
}

// driverArgs parses the driver arguments with the driver's own parser. The parser panics on a
// few arguments; that panic becomes an error here.
func driverArgs(args map[string]string) (mc *mysql.Config, err error) {
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

// logger sends the driver's own messages ("closing bad idle connection") to log/slog instead
// of the standard logger the driver writes to by default.
type logger struct{}

func (logger) Print(v ...any) { slog.Warn("mysql driver: " + fmt.Sprint(v...)) }

// classify reads a server error by its number.
func classify(err error) (engine.ErrorInfo, bool) {
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return errorInfo(my), true
	}
	return engine.ErrorInfo{}, false
}

// connFailure recognises the driver's own errors for a lost connection or packets out of step.
func connFailure(err error) bool {
	return errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, mysql.ErrMalformPkt) || errors.Is(err, mysql.ErrPktSync)
}

// commitFailed: a server's error reply to COMMIT proves the transaction did not commit,
// except a reply that ends the session (ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED): the server
// may have committed before it ended it.
func commitFailed(err error) (failed, known bool) {
	var my *mysql.MySQLError
	if !errors.As(err, &my) {
		return false, false
	}
	switch my.Number {
	case 1053, 1927:
		return false, true
	}
	return true, true
}

func serverCode(err error) (string, bool) {
	var my *mysql.MySQLError
	if !errors.As(err, &my) {
		return "", false
	}
	s := "mysql error " + strconv.Itoa(int(my.Number))
	if my.SQLState != [5]byte{} {
		s += " SQLSTATE " + string(my.SQLState[:])
	}
	return s, true
}
