package conn

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/txn"
)

type writesTable struct {
	expr.Table
	ID        expr.Column[int64] `db:"id"`
	UpdatedAt expr.Column[int64] `db:"updated_at"`
}

var writesT = expr.NewTable[writesTable]("for")

// TestMayWrite: only a built SELECT without a locking clause is known not to write; words in
// quoted identifiers do not count, and SQL text always may write.
func TestMayWrite(t *testing.T) {
	sel := func() *builder.SelectStmt { return builder.Select(writesT.ID, writesT.UpdatedAt).From(writesT) }
	for _, c := range []struct {
		name string
		stmt Statement
		want bool
	}{
		{"select", sel().Where(writesT.ID.Eq(1)), false},
		{"select with quoted keyword-like names", sel().OrderBy(writesT.UpdatedAt.Desc()), false},
		{"for update", sel().ForUpdate(), true},
		{"for share", sel().ForShare().SkipLocked(), true},
		{"union", builder.Union(sel(), sel()), false},
		{"sql text", SQL("SELECT 1"), true},
		{"insert", builder.InsertInto(writesT).Values(writesT.ID.Set(1)), true},
	} {
		text, _, err := c.stmt.Build(dialect.Postgres)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := mayWrite(c.stmt, text); got != c.want {
			t.Errorf("%s: mayWrite(%q) = %v; want %v", c.name, text, got, c.want)
		}
	}
}

// TestCommitFailed: only a server's error reply, or a COMMIT that never left, proves that the
// transaction did not commit; a server ending the session as it replies proves nothing.
func TestCommitFailed(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Severity: "ERROR", Code: "40001"}, true},
		{&pgconn.PgError{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "57P01"}, false},
		{&pgconn.PgError{Severity: "PANIC", Code: "XX000"}, false},
		{&mysql.MySQLError{Number: 1213}, true},
		{&mysql.MySQLError{Number: 1927}, false},
		{fmt.Errorf("wrapped: %w", driver.ErrBadConn), true},
		{mysql.ErrInvalidConn, false},
		{io.ErrUnexpectedEOF, false},
		{context.DeadlineExceeded, false},
	} {
		if got := commitFailed(c.err); got != c.want {
			t.Errorf("commitFailed(%v) = %v; want %v", c.err, got, c.want)
		}
	}
}

// TestCommitUnknownError: the unknown outcome is its own class, also operational and txn's
// sentinel, never retryable; it unwraps to the driver's error and masks passwords.
func TestCommitUnknownError(t *testing.T) {
	h := &handle{cfg: Config{Password: "hunter2hunter2"}}
	cause := errors.New("read tcp: hunter2hunter2: unexpected EOF")
	err := commitUnknown(h, cause, "asking failed")
	for _, class := range []error{ErrCommitUnknown, ErrOperational, ErrDatabase, txn.ErrCommitUnknown, cause} {
		if !errors.Is(err, class) {
			t.Errorf("%v does not match %v", err, class)
		}
	}
	if errors.Is(err, ErrSerialization) || retryable(err) {
		t.Errorf("%v is retryable", err)
	}
	if msg := err.Error(); strings.Contains(msg, "hunter2") || !strings.Contains(msg, "asking failed") {
		t.Errorf("message %q: want the password masked and the reason given", msg)
	}
}
