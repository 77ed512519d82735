package conn

import (
	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/internal/sqltext"
)

// mayWrite reports whether a statement in a PostgreSQL transaction may give it a transaction
// id, which PostgreSQL assigns at the first write or row lock: anything but a builder SELECT
// (or set operation) whose text has no locking clause and no data-modifying WITH. SQL text
// may do anything. A wrong "no" costs only the answer after a lost COMMIT reply (the outcome
// is then reported unknown), never a wrong answer; a wrong "yes" costs one round trip.
func mayWrite(stmt Statement, text string) bool {
	switch stmt.(type) {
	case *builder.SelectStmt, *builder.SetStmt:
		return sqltext.HasKeyword(text, "FOR", "INSERT", "UPDATE", "DELETE", "MERGE")
	}
	return true
}
