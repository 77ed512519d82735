package conn_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
)

// q writes SQL with ? placeholders in the database's own form ($1, $2 on PostgreSQL).
func q(db *conn.DB, sql string) conn.SQL {
	if db.Dialect().Name() != "postgres" {
		return conn.SQL(sql)
	}
	var b strings.Builder
	n := 0
	for _, r := range sql {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return conn.SQL(b.String())
}

// engine is the database's engine name: postgres, mysql, mariadb or sqlite.
func engine(db *conn.DB) string { return db.Dialect().Name() }

// ddl picks the statement for the engine: pg, my (MySQL/MariaDB), lite.
func ddl(db *conn.DB, pg, my, lite string) string {
	switch engine(db) {
	case "postgres":
		return pg
	case "sqlite":
		return lite
	}
	return my
}

func mustExecAll(t *testing.T, db *conn.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		mustExec(t, db, s)
	}
}
