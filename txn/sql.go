package txn

import (
	"reflect"
	"strconv"
	"sync"

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
	if o.Isolation == 0 && o.Access == 0 && !o.Deferrable && (o.Lock == 0 || o.Lock == Immediate) {
		return append([]string(nil), plainBegin(d)...)
	}
	return beginSQL(d, o)
}

// Shared BEGIN statements without options, which nearly every transaction uses; read only.
var (
	beginModes   = []string{"BEGIN"}
	beginStart   = []string{"START TRANSACTION"}
	beginLocking = []string{"BEGIN IMMEDIATE"}
)

// plainBegin returns the shared statements that begin a transaction without options on d.
func plainBegin(d dialect.Dialect) []string {
	switch d.Caps().TxBegin {
	case dialect.BeginSetTransaction:
		return beginStart
	case dialect.BeginLocking:
		return beginLocking
	}
	return beginModes
}

func beginSQL(d dialect.Dialect, o Options) []string {
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
	sql := d.Caps().Savepoint
	return savepointSQL{
		depth:      depth,
		name:       name,
		save:       sql.Save + quoted,
		release:    sql.Release + quoted,
		rollbackTo: sql.RollbackTo + quoted,
	}
}

// stmt returns the savepoint's statement for op.
func (sp savepointSQL) stmt(op Op) Control {
	s := Control{Op: op, Depth: sp.depth, Savepoint: sp.name}
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

// cachedSavepoints is how many nesting levels have their statements rendered once per dialect;
// deeper ones are rendered when used.
const cachedSavepoints = 8

// savepointCache holds each dialect's rendered savepoint statements, by dialect value: two
// dialects of one name may spell them differently (a derived dialect), and a dialect's
// answers never change (see dialect.Dialect).
var savepointCache struct {
	sync.RWMutex
	m map[dialect.Dialect][]savepointSQL
}

// maxCachedDialects bounds the cache, in case a program makes dialect values as it goes.
const maxCachedDialects = 64

// savepointsOf returns d's savepoint statements for the first cachedSavepoints levels; the
// slice is shared and read only.
func savepointsOf(d dialect.Dialect) []savepointSQL {
	// A dialect type that is not comparable cannot be a map key: its statements are
	// rendered each time.
	comparable := reflect.TypeOf(d).Comparable()
	if comparable {
		savepointCache.RLock()
		sps, ok := savepointCache.m[d]
		savepointCache.RUnlock()
		if ok {
			return sps
		}
	}
	sps := make([]savepointSQL, cachedSavepoints)
	for i := range sps {
		sps[i] = newSavepointSQL(d, i+2)
	}
	if !comparable {
		return sps
	}
	savepointCache.Lock()
	defer savepointCache.Unlock()
	if savepointCache.m == nil {
		savepointCache.m = map[dialect.Dialect][]savepointSQL{}
	}
	if len(savepointCache.m) < maxCachedDialects {
		savepointCache.m[d] = sps
	}
	return sps
}
