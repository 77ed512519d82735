package conn

// Result reports what a statement that returns no rows did.
type Result struct {
	// RowsAffected is the number of rows the statement inserted, updated or deleted.
	RowsAffected int64
	// LastInsertID is the id MySQL/MariaDB and SQLite report for the last inserted row;
	// PostgreSQL has no such thing (use RETURNING), so it is 0 there.
	LastInsertID int64
}

// Rows is a result set being read, the same on every engine. Close it when done (the fetch
// functions All, One, Each and Scalar do that for you); until it is closed it holds its
// connection.
type Rows interface {
	// Next prepares the next row for Scan and reports whether there is one.
	Next() bool
	// Scan copies the current row's columns into dest, in order.
	Scan(dest ...any) error
	// Columns returns the result's column names.
	Columns() []string
	// Err returns the error, if any, that ended the iteration.
	Err() error
	// Close releases the result set and its connection; it is safe to call more than once.
	Close() error
}

// Row is the single-row result of QueryRow.
type Row struct {
	rows Rows
	err  error
}

// Scan copies the first row's columns into dest and closes the result. With no row it
// returns an error that matches ErrNoRows.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// Err returns the error the query failed with, if it failed before any row was read.
func (r *Row) Err() error { return r.err }
