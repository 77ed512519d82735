package conn

import (
	"database/sql"
	"slices"

	"github.com/typedsql/typedsql/internal/engine"
)

// driverRows is a driver's result set as conn reads it, on either backend: a native engine's
// rows (pgx's on PostgreSQL), database/sql's on MySQL/MariaDB and SQLite. It is a value filled in by
// querier.query, not an object a backend allocates, so that it lives inside the stmtRows
// that reads it (which the fetch functions reuse from one statement to the next) and a
// statement costs no allocation of conn's beyond what the driver makes.
//
// Whatever the result borrowed for itself goes back when it is closed: the pool connection
// of a statement made outside any block, the fresh session of a retry, and the count that lets
// Close wait for it.
type driverRows struct {
	nat  engine.Rows       // a native engine's; nil on database/sql
	natr engine.RowsReader // what reads nat's columns and plans its scans
	natl engine.Lease      // the native pool connection borrowed for this one statement
	natp engine.Pool       // natl's pool, which takes it back
	sql  *sql.Rows
	sqc  *sql.Conn // the database/sql connection borrowed for this one statement
	// sess is the fresh connection a retry ran the statement on (handle.queryFresh).
	sess session
	lent *inflight
	// The SQLite write lock the statement holds until the result is closed: wq's for a
	// statement on the pool, or a hold of sq, a pinned connection's, taken for a statement of
	// kind sqKind.
	wq     *writeQueue
	sq     *sessionQueue
	sqKind sqliteKind

	cols   []string // the column names, made on demand
	closed bool
}

// next moves to the next row. It closes the result, and so gives its connection back, once
// the rows run out, as database/sql does.
func (r *driverRows) next() bool {
	if r.closed {
		return false
	}
	var ok bool
	if r.nat != nil {
		ok = r.nat.Next()
	} else {
		// database/sql's Next closes its Rows at their end, but not when another result
		// set follows (a CALL on MySQL), and there is no telling which from outside:
		// close closes them again, at the price of an allocation.
		ok = r.sql.Next()
	}
	if !ok {
		r.close()
	}
	return ok
}

func (r *driverRows) scan(dest []any) error {
	if r.nat != nil {
		return r.nat.Scan(dest...)
	}
	err := r.sql.Scan(dest...)
	if err != nil {
		if tried, err2 := rescanTextTimes(r.sql, dest); tried && err2 == nil {
			return nil // times as SQLite's text (texttime.go)
		}
	}
	return err
}

func (r *driverRows) err() error {
	if r.nat != nil {
		return r.nat.Err()
	}
	if r.sql != nil {
		return r.sql.Err()
	}
	return nil
}

// columns returns the result's column names, made once per result.
func (r *driverRows) columns() []string {
	if r.cols == nil {
		if r.nat != nil {
			r.cols = r.natr.Columns(r.nat)
		} else if r.sql != nil {
			r.cols, _ = r.sql.Columns()
		}
	}
	return r.cols
}

// sameColumns reports whether the result's columns are cols, in order. A native engine
// reads its driver's column descriptions in place, so that a fetch whose columns match the
// plan it scanned with last time makes no list of names; database/sql has no such view, and
// its Columns makes one.
func (r *driverRows) sameColumns(cols []string) bool {
	if r.nat == nil {
		return slices.Equal(r.columns(), cols)
	}
	return r.natr.SameColumns(r.nat, cols)
}

// close releases the result set and what it borrowed; it is safe to call more than once, and
// err still reports the result's error afterwards.
func (r *driverRows) close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var err error
	if r.nat != nil {
		r.nat.Close()
		err = r.nat.Err()
	} else if r.sql != nil {
		err = r.sql.Close()
	}
	if r.wq != nil {
		r.wq.unlock()
		r.wq = nil
	}
	if r.sq != nil {
		r.sq.after(r.sqKind, true, err)
		r.sq = nil
	}
	if r.natl != nil {
		r.natp.Release(r.natl)
		r.natl, r.natp = nil, nil
	}
	if r.sqc != nil {
		r.sqc.Close()
		r.sqc = nil
	}
	if r.sess != nil {
		r.sess.release(false)
		r.sess = nil
	}
	if r.lent != nil {
		r.lent.leave()
		r.lent = nil
	}
	return err
}

// nativePlans holds a fetch function's scanner's plans for a native driver, made by the first
// reader that scans with them and kept with the scanner (which its type's pool reuses), so
// that a fetch of the same shape plans nothing and allocates nothing for them.
type nativePlans struct {
	rr    engine.RowsReader
	plans engine.ScanPlans
}

// get returns the plans for rr's rows, made anew when the scanner last read another engine's.
func (p *nativePlans) get(rr engine.RowsReader) engine.ScanPlans {
	if p.plans == nil || p.rr != rr {
		p.rr, p.plans = rr, rr.NewScanPlans()
	}
	return p.plans
}

// reset drops the plans: the scanner's destinations changed.
func (p *nativePlans) reset() {
	if p.plans != nil {
		p.plans.Reset()
	}
}

// newResult makes the next scan check the plans against a new result's columns.
func (p *nativePlans) newResult() {
	if p.plans != nil {
		p.plans.NewResult()
	}
}
