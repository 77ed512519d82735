package builder

import "github.com/typedsql/typedsql/dialect"

// dml is the kind of a statement that changes rows, for what the engines allow of it.
type dml uint8

const (
	dmlInsert dml = iota
	dmlUpdate
	dmlDelete
)

// String is the statement's keyword, as errors name it.
func (d dml) String() string { return [...]string{"INSERT", "UPDATE", "DELETE"}[d] }

// returning reports whether the engine of c takes RETURNING on such a statement.
func (d dml) returning(c *dialect.Capabilities) bool {
	switch d {
	case dmlInsert:
		return c.InsertReturning
	case dmlUpdate:
		return c.UpdateReturning
	}
	return c.DeleteReturning
}

// limit reports whether the engine of c takes ORDER BY and LIMIT on such a statement (of one
// table); INSERT never does.
func (d dml) limit(c *dialect.Capabilities) bool {
	switch d {
	case dmlUpdate:
		return c.UpdateLimit
	case dmlDelete:
		return c.DeleteLimit
	}
	return false
}
