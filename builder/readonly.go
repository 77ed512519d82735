package builder

import "github.com/typedsql/typedsql/expr"

// ReadOnly reports whether the SELECT only reads: it has no locking clause (FOR UPDATE,
// FOR SHARE) and no WITH query that writes (a data-modifying CTE), in itself or in the
// queries of its WITH clause. A router sends such a statement to a read replica; one that
// locks rows must run on the primary.
//
//	builder.Select(Users.ID).From(Users).ReadOnly()             // true:  SELECT "id" FROM "users"
//	builder.Select(Users.ID).From(Users).ForUpdate().ReadOnly() // false: ... FOR UPDATE
func (s *SelectStmt) ReadOnly() bool {
	if s == nil {
		return false
	}
	return s.lock.strength == lockNone && s.extOrEmpty().with.readOnly()
}

// ReadOnly reports whether every query of the set operation, and of its WITH clause, only
// reads (see SelectStmt.ReadOnly).
func (s *SetStmt) ReadOnly() bool {
	if s == nil || !s.with.readOnly() {
		return false
	}
	for _, p := range s.parts {
		if !queryReadOnly(p.q) {
			return false
		}
	}
	return true
}

func (c *with) readOnly() bool {
	for _, q := range c.ctes {
		if !queryReadOnly(q.q) {
			return false
		}
	}
	return true
}

// queryReadOnly: a SELECT or set operation that only reads; any other query (an INSERT,
// UPDATE or DELETE with RETURNING as a CTE body, or a query of another package) may write.
func queryReadOnly(q expr.Query) bool {
	switch q := q.(type) {
	case *SelectStmt:
		return q.ReadOnly()
	case *SetStmt:
		return q.ReadOnly()
	}
	return false
}
