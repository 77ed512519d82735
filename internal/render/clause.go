package render

import "strconv"

// Clause identifies the part of a statement being written, for error messages: a statement
// sets it (Frame.SetClause) before writing the clause, and a build error names it
// ("WHERE: ...").
type Clause uint8

// The clauses named in build errors.
const (
	ClauseNone Clause = iota
	ClauseWith
	ClauseSelect
	ClauseFrom
	ClauseInnerJoin
	ClauseLeftJoin
	ClauseRightJoin
	ClauseFullJoin
	ClauseCrossJoin
	ClauseWhere
	ClauseGroupBy
	ClauseHaving
	ClauseOrderBy
	ClauseLimit
	ClauseForUpdate
	ClauseUnion
	ClauseIntersect
	ClauseExcept
	ClauseInsert
	ClauseValues
	ClauseOnConflict
	ClauseUpdate
	ClauseSet
	ClauseDelete
	ClauseUsing
	ClauseReturning
)

var clauseNames = [...]string{
	ClauseNone: "", ClauseWith: "WITH", ClauseSelect: "SELECT", ClauseFrom: "FROM",
	ClauseInnerJoin: "INNER JOIN", ClauseLeftJoin: "LEFT JOIN", ClauseRightJoin: "RIGHT JOIN",
	ClauseFullJoin: "FULL JOIN", ClauseCrossJoin: "CROSS JOIN", ClauseWhere: "WHERE",
	ClauseGroupBy: "GROUP BY", ClauseHaving: "HAVING", ClauseOrderBy: "ORDER BY",
	ClauseLimit: "LIMIT", ClauseForUpdate: "FOR UPDATE", ClauseUnion: "UNION",
	ClauseIntersect: "INTERSECT", ClauseExcept: "EXCEPT", ClauseInsert: "INSERT",
	ClauseValues: "VALUES", ClauseOnConflict: "ON CONFLICT", ClauseUpdate: "UPDATE",
	ClauseSet: "SET", ClauseDelete: "DELETE", ClauseUsing: "USING", ClauseReturning: "RETURNING",
}

// String is the clause as SQL spells it: "WHERE", "ON CONFLICT".
func (c Clause) String() string {
	if int(c) < len(clauseNames) {
		return clauseNames[c]
	}
	return "clause " + strconv.Itoa(int(c))
}
