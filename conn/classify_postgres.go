package conn

import "github.com/jackc/pgx/v5/pgconn"

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

func postgresClass(code string) error {
	switch code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return ErrSerialization
	case "40002": // transaction_integrity_constraint_violation
		return ErrIntegrity
	}
	if len(code) != 5 {
		return ErrInternal
	}
	switch code[:2] {
	case "22": // data exception
		return ErrData
	case "23": // integrity constraint violation
		return ErrIntegrity
	case "0A": // feature not supported
		return ErrNotSupported
	case "20", "21", "26", "3D", "3F", "42", "44", "0L", "0P":
		// case not found, cardinality, statement name, catalog/schema name, syntax or access
		// rule, WITH CHECK OPTION, grantor, role specification
		return ErrProgramming
	case "08", "27", "28", "34", "40", "53", "54", "55", "57", "58", "72", "HV":
		// connection, triggered data change, authorization, cursor name, rollback, resources,
		// program limits, object state (lock_not_available), operator intervention (query
		// cancelled, shutdown), system error, snapshot too old, foreign data wrapper
		return ErrOperational
	}
	// 24, 25, 2B, 2D, 2F, 38, 39, 3B, 09, 0B, 0F, 0Z, F0, P0, XX: cursor and transaction
	// state, routines, triggers, configuration, PL/pgSQL, internal errors.
	return ErrInternal
}
