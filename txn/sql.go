package txn

import (
	"strconv"

	"github.com/typedsql/typedsql/dialect"
)

// BeginSQL returns the statements that start a transaction with o on d, in order. Most forms
// are one statement; MySQL needs SET TRANSACTION before START TRANSACTION to set a level (that
// SET applies to the next transaction only). o must have passed Validate.
//
//	BeginSQL(dialect.Postgres, Collect(Serializable, ReadOnly, Deferrable))
//	// ["BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE"]
//	BeginSQL(dialect.MySQL, Collect(RepeatableRead, ReadOnly))
//	// ["SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", "START TRANSACTION READ ONLY"]
//	BeginSQL(dialect.SQLite, Options{})
//	// ["BEGIN IMMEDIATE"]
func BeginSQL(d dialect.Dialect, o Options) []string {
	switch d.Caps().TxBegin {
	case dialect.BeginSetTransaction:
		start := "START TRANSACTION"
		if o.Access != 0 {
			start += " " + o.Access.String()
		}
		if o.Isolation != 0 {
			return []string{"SET TRANSACTION ISOLATION LEVEL " + o.Isolation.String(), start}
		}
		return []string{start}
	case dialect.BeginLocking:
		lock := o.Lock
		if lock == 0 {
			lock = Immediate
		}
		return []string{"BEGIN " + lock.String()}
	default:
		begin := "BEGIN"
		if o.Isolation != 0 {
			begin += " ISOLATION LEVEL " + o.Isolation.String()
		}
		if o.Access != 0 {
			begin += " " + o.Access.String()
		}
		if o.Deferrable {
			begin += " DEFERRABLE"
		}
		return []string{begin}
	}
}

// savepointSQL is the savepoint at one depth: its name and its three statements.
type savepointSQL struct {
	depth                     int
	name                      string
	save, release, rollbackTo string
}

// newSavepointSQL renders the statements for the savepoint at depth (2 for the first nested
// block). Names are sp1, sp2, ... by nesting level: unique along any nesting path, and reused by
// sibling blocks only after the previous one was released or rolled back and released.
func newSavepointSQL(d dialect.Dialect, depth int) savepointSQL {
	name := "sp" + strconv.Itoa(depth-1)
	quoted := string(d.AppendIdent(nil, name))
	return savepointSQL{
		depth:      depth,
		name:       name,
		save:       "SAVEPOINT " + quoted,
		release:    "RELEASE SAVEPOINT " + quoted,
		rollbackTo: "ROLLBACK TO SAVEPOINT " + quoted,
	}
}

// stmt returns the savepoint's statement for op.
func (sp savepointSQL) stmt(op Op) Statement {
	s := Statement{Op: op, Depth: sp.depth, Savepoint: sp.name}
	switch op {
	case OpSavepoint:
		s.SQL = sp.save
	case OpRelease:
		s.SQL = sp.release
	case OpRollbackTo:
		s.SQL = sp.rollbackTo
	}
	return s
}
