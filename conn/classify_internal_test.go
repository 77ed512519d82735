package conn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// The real-engine tests (classify_test.go) produce each class from a statement; these pin
// down the tables for codes the test servers cannot produce on demand (MySQL 8's messages,
// PostgreSQL's rarer classes) and the errors that come from no server at all.

func TestMySQLErrors(t *testing.T) {
	state := func(s string) (b [5]byte) { copy(b[:], s); return }
	tests := []struct {
		err                                 *mysql.MySQLError
		class                               error
		constraint, table, column, sqlState string
	}{
		{&mysql.MySQLError{Number: 1062, SQLState: state("23000"), Message: "Duplicate entry 'a@x' for key 'users.users_email_key'"}, ErrIntegrity, "users_email_key", "users", "", "23000"},
		{&mysql.MySQLError{Number: 1062, SQLState: state("23000"), Message: "Duplicate entry 'a@x' for key 'users_email_key'"}, ErrIntegrity, "users_email_key", "", "", "23000"},
		{&mysql.MySQLError{Number: 1452, Message: "Cannot add or update a child row: a foreign key constraint fails (`db`.`orders`, CONSTRAINT `orders_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`))"}, ErrIntegrity, "orders_user_fk", "", "", ""},
		{&mysql.MySQLError{Number: 3819, SQLState: state("HY000"), Message: "Check constraint 'qty_positive' is violated."}, ErrIntegrity, "qty_positive", "", "", "HY000"},
		{&mysql.MySQLError{Number: 4025, SQLState: state("23000"), Message: "CONSTRAINT `qty_positive` failed for `db`.`t`"}, ErrIntegrity, "qty_positive", "", "", "23000"},
		{&mysql.MySQLError{Number: 1048, SQLState: state("23000"), Message: "Column 'email' cannot be null"}, ErrIntegrity, "", "", "email", "23000"},
		{&mysql.MySQLError{Number: 1406, SQLState: state("22001"), Message: "Data too long for column 'code' at row 1"}, ErrData, "", "", "", "22001"},
		{&mysql.MySQLError{Number: 1213, SQLState: state("40001"), Message: "Deadlock found when trying to get lock"}, ErrSerialization, "", "", "", "40001"},
		{&mysql.MySQLError{Number: 1205, SQLState: state("HY000"), Message: "Lock wait timeout exceeded"}, ErrOperational, "", "", "", "HY000"},
		{&mysql.MySQLError{Number: 1146, SQLState: state("42S02"), Message: "Table 'db.nope' doesn't exist"}, ErrProgramming, "", "", "", "42S02"},
		{&mysql.MySQLError{Number: 1045, SQLState: state("28000"), Message: "Access denied"}, ErrOperational, "", "", "", "28000"},
		{&mysql.MySQLError{Number: 1235, SQLState: state("42000"), Message: "This version doesn't yet support"}, ErrNotSupported, "", "", "", "42000"},
		{&mysql.MySQLError{Number: 3024, SQLState: state("HY000"), Message: "maximum statement execution time exceeded"}, ErrOperational, "", "", "", "HY000"},
		{&mysql.MySQLError{Number: 1690, SQLState: state("22003"), Message: "BIGINT UNSIGNED value is out of range"}, ErrData, "", "", "", "22003"},
		{&mysql.MySQLError{Number: 9999, SQLState: state("22007"), Message: "an unlisted number with a data SQLSTATE"}, ErrData, "", "", "", "22007"},
		{&mysql.MySQLError{Number: 9998, SQLState: state("HY000"), Message: "an unlisted number"}, ErrOperational, "", "", "", "HY000"},
		{&mysql.MySQLError{Number: 28, Message: "an operating-system error"}, ErrInternal, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			err := classifyError(fmt.Errorf("wrapped: %w", tt.err), nil)
			var e *Error
			if !errors.As(err, &e) || e.Class != tt.class || e.Constraint != tt.constraint || e.Table != tt.table ||
				e.Column != tt.column || e.SQLState != tt.sqlState || e.Code != fmt.Sprint(tt.err.Number) {
				t.Errorf("got %+v", e)
			}
			var me *mysql.MySQLError
			if !errors.As(err, &me) || me != tt.err {
				t.Error("the driver's error is not reachable")
			}
		})
	}
}

func TestClassifyNonServerErrors(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		err  error
		want error // nil: returned unclassified
	}{
		{driver.ErrBadConn, ErrOperational},
		{fmt.Errorf("x: %w", mysql.ErrInvalidConn), ErrOperational},
		{io.ErrUnexpectedEOF, ErrOperational},
		{opErr, ErrOperational},
		{&net.DNSError{Err: "no such host", Name: "db.invalid", IsNotFound: true}, ErrOperational},
		{sql.ErrTxDone, ErrInterface},
		{sql.ErrConnDone, ErrInterface},
		{context.Canceled, nil},
		{fmt.Errorf("query: %w", context.DeadlineExceeded), nil},
		{ErrClosed, nil},
		{&AcquireTimeoutError{}, nil},
		{errors.New("conn: something of conn's own"), nil},
		// pgconn's refusal of a statement of too many parameters (TestTooManyArguments checks
		// that pgconn still says it this way).
		{fmt.Errorf("extended protocol limited to %v parameters", 65535), ErrProgramming},
	}
	for _, tt := range tests {
		got := classifyError(tt.err, nil)
		var e *Error
		classified := errors.As(got, &e)
		if tt.want == nil {
			if classified {
				t.Errorf("%v was classified as %v", tt.err, e.Class)
			}
			continue
		}
		if !classified || e.Class != tt.want || !errors.Is(got, tt.err) {
			t.Errorf("%v: %v; want %v, unwrapping to the original", tt.err, got, tt.want)
		}
	}
	// Classifying twice changes nothing; a password in a driver message is masked.
	first := classifyError(&pgconn.PgError{Severity: "ERROR", Code: "23505", Message: "dup of hunter2hunter2"}, []string{"hunter2hunter2"})
	if again := classifyError(first, nil); again != first {
		t.Error("classifying a classified error wrapped it again")
	}
	if want := "conn: integrity error: ERROR: dup of xxxxx (SQLSTATE 23505)"; first.Error() != want {
		t.Errorf("message %q, want %q", first, want)
	}
	if !errors.Is(first, ErrDatabase) || errors.Is(first, ErrOperational) {
		t.Error("integrity error matches the wrong classes")
	}
	ser := classifyError(&pgconn.PgError{Code: "40001"}, nil)
	if !errors.Is(ser, ErrSerialization) || !errors.Is(ser, ErrOperational) || errors.Is(ser, ErrIntegrity) {
		t.Error("ErrSerialization must also match ErrOperational, and nothing else")
	}
	if classify(nil, nil) != nil {
		t.Error("classify(nil) is not nil")
	}
	if !errors.Is(ErrClosed, ErrInterface) {
		t.Error("ErrClosed does not match ErrInterface")
	}
}
