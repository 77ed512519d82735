// Package sqlite links SQLite into package conn, through modernc.org/sqlite (no cgo). Import
// it for its side effect, as with a database/sql driver, in the program that opens "sqlite"
// URLs; programs that do not import it do not link SQLite:
//
//	import (
//		"github.com/typedsql/typedsql/conn"
//		_ "github.com/typedsql/typedsql/conn/sqlite" // registers "sqlite"
//	)
//
//	db, err := conn.Open(ctx, "sqlite:///app.db")
//
// conn keeps what every database/sql engine shares (the pool, the pragmas it puts in the DSN,
// the in-process write queue); this package holds what only the driver knows: how to make a
// connector from that DSN and what its errors mean.
package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"

	lite "modernc.org/sqlite"

	"github.com/typedsql/typedsql/internal/engine"
)

func init() {
	engine.Register(&engine.Engine{
		Schemes:       map[string]string{"sqlite3": "sqlite"},
		File:          true,
		Connector:     connector,
		Classify:      classify,
		CommitFailed:  commitFailed,
		NoTransaction: noTransaction,
		ServerCode:    serverCode,
	}, "sqlite")
}

// connector opens the DSN conn composed ("file:app.db?_busy_timeout=5000&...").
func connector(_ context.Context, s engine.Settings) (driver.Connector, error) {
	return lite.NewConnector(s.DSN)
}

func classify(err error) (engine.ErrorInfo, bool) {
	var le *lite.Error
	if !errors.As(err, &le) {
		return engine.ErrorInfo{}, false
	}
	return errorInfo(le.Code(), le.Error()), true
}

// commitFailed: a SQLite error from COMMIT is SQLite's own refusal (SQLITE_BUSY, a deferred
// foreign key): the transaction did not commit.
func commitFailed(err error) (failed, known bool) {
	var le *lite.Error
	if errors.As(err, &le) {
		return true, true
	}
	return false, false
}

// noTransaction recognises SQLite's reply to a ROLLBACK outside any transaction.
func noTransaction(err error) bool {
	var le *lite.Error
	return errors.As(err, &le) && strings.Contains(le.Error(), "no transaction is active")
}

func serverCode(err error) (string, bool) {
	var le *lite.Error
	if !errors.As(err, &le) {
		return "", false
	}
	return "sqlite error " + strconv.Itoa(le.Code()), true
}
