package conn

import (
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/typedsql/typedsql/internal/engine"
)

// postgresError classifies a PostgreSQL error by its SQLSTATE: by the two-character class,
// with serialization failure and deadlock picked out of class 40.
// https://www.postgresql.org/docs/current/errcodes-appendix.html
func postgresError(pg *pgconn.PgError) *Error {
	return &Error{
		Class:      postgresClass(pg.Code),
		Code:       pg.Code,
		SQLState:   pg.Code,
		Constraint: pg.ConstraintName,
		Table:      pg.TableName,
		Column:     pg.ColumnName,
	}
}

// postgresClass classifies a SQLSTATE (engine.SQLStateClass) as one of conn's classes.
func postgresClass(code string) error {
	return engineClasses[engine.SQLStateClass(code)]
}
