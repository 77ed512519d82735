// Package postgres links PostgreSQL into package conn, through pgx/v5. Import it for its side
// effect, as with a database/sql driver, in the program that opens "postgres" or "postgresql"
// URLs; programs that do not import it do not link pgx:
//
//	import (
//		"github.com/typedsql/typedsql/conn"
//		_ "github.com/typedsql/typedsql/conn/postgres" // registers "postgres"
//	)
//
//	db, err := conn.Open(ctx, "postgres://app@localhost/app?sslmode=disable")
//
// This package holds what only pgx knows: what its errors mean.
package postgres

import "github.com/typedsql/typedsql/internal/engine"

func init() {
	engine.Register(&engine.Engine{
		Classify:     classify,
		ConnFailure:  connFailure,
		CommitFailed: commitFailed,
		ServerCode:   serverCode,
		FailedColumn: failedColumn,
	}, "postgres")
}
