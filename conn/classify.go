package conn

// The classes of database error, modelled on the Python DB-API hierarchy (peewee's).
var (
	ErrOperational = newClass("operational")
)

type errClass struct{ name string }

func newClass(name string) *errClass { return &errClass{name} }
func (c *errClass) Error() string    { return "conn: " + c.name + " error" }

// classify wraps a driver error in its class. Provisional: the full classification by
// SQLSTATE, MySQL error number and SQLite result code replaces this file.
func classify(h *handle, err error) error { return err }
