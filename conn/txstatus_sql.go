package conn

import (
	"context"
	"errors"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/txn"
)

// stillInTx asks the server in the dialect's way (Capabilities.TxStatus): by its status query
// (MySQL's SELECT @@in_transaction), or by a BEGIN, which fails inside a transaction and,
// outside one, is rolled back at once (SQLite). A dialect whose protocol reports the status
// is not asked: the answer is true, and the caller rolls back.
func (s *sqlSession) stillInTx(ctx context.Context, d dialect.Dialect) (bool, error) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), txn.CleanupTimeout)
	defer cancel()
	caps := d.Caps()
	switch caps.TxStatus {
	case dialect.TxStatusByQuery:
		var rows driverRows
		if err := s.query(cctx, caps.TxStatusQuery, nil, &rows); err != nil {
			return false, err
		}
		defer rows.close()
		var in int64
		if !rows.next() {
			if err := rows.err(); err != nil {
				return false, err
			}
			return false, errors.New("conn: " + caps.TxStatusQuery + " returned no row")
		}
		if err := rows.scan([]any{&in}); err != nil {
			return false, err
		}
		return in != 0, rows.close()
	case dialect.TxStatusByBegin:
		if _, err := s.exec(cctx, "BEGIN", nil); err != nil {
			return true, nil // "cannot start a transaction within a transaction"
		}
		_, err := s.exec(cctx, "ROLLBACK", nil)
		return false, err
	}
	return true, nil
}
