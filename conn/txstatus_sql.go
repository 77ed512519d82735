package conn

import (
	"context"
	"errors"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/txn"
)

// stillInTx asks the server: MySQL for @@in_transaction; SQLite is sent a BEGIN, which fails
// inside a transaction and, outside one, is rolled back at once.
func (s *sqlSession) stillInTx(ctx context.Context, d dialect.Dialect) (bool, error) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), txn.CleanupTimeout)
	defer cancel()
	switch d.Caps().TxBegin {
	case dialect.BeginSetTransaction:
		var rows driverRows
		if err := s.query(cctx, "SELECT @@in_transaction", nil, &rows); err != nil {
			return false, err
		}
		defer rows.close()
		var in int64
		if !rows.next() {
			if err := rows.err(); err != nil {
				return false, err
			}
			return false, errors.New("conn: SELECT @@in_transaction returned no row")
		}
		if err := rows.scan([]any{&in}); err != nil {
			return false, err
		}
		return in != 0, rows.close()
	case dialect.BeginLocking:
		if _, err := s.exec(cctx, "BEGIN", nil); err != nil {
			return true, nil // "cannot start a transaction within a transaction"
		}
		_, err := s.exec(cctx, "ROLLBACK", nil)
		return false, err
	}
	return true, nil
}
