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
	"fmt"
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

// connector opens the DSN conn composed ("file:app.db?_busy_timeout=5000&..."). With Go
// functions, it opens through a driver of its own carrying them (modernc.org/sqlite adds a
// Driver's functions to each connection it opens; they cannot be added to one already open),
// so that they reach this DB's connections only.
func connector(_ context.Context, s engine.Settings) (driver.Connector, error) {
	c, err := lite.NewConnector(s.DSN) // checks the DSN
	if err != nil || len(s.Functions) == 0 {
		return c, err
	}
	drv := &lite.Driver{}
	for _, f := range s.Functions {
		call := f.Call
		impl := &lite.FunctionImpl{NArgs: int32(f.Args), Deterministic: f.Deterministic,
			Scalar: func(_ *lite.FunctionContext, args []driver.Value) (driver.Value, error) { return call(args) }}
		if err := drv.RegisterFunction(f.Name, impl); err != nil {
			return nil, fmt.Errorf("sql function %s: %w", f.Name, err)
		}
	}
	return &driverConnector{drv: drv, dsn: s.DSN}, nil
}

// driverConnector opens dsn through its own driver.
type driverConnector struct {
	drv *lite.Driver
	dsn string
}

func (c *driverConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.drv.Open(c.dsn)
}

func (c *driverConnector) Driver() driver.Driver { return c.drv }

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
