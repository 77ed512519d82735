package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/typedsql/typedsql/internal/engine"
)

// The real-engine tests (conn's classify_test.go) produce each class from a statement; these
// pin down the table for codes the test server cannot produce on demand.

func TestPostgresClasses(t *testing.T) {
	for code, want := range map[string]engine.Class{
		"23505": engine.Integrity, "23503": engine.Integrity, "23502": engine.Integrity, "23514": engine.Integrity, "23P01": engine.Integrity,
		"22001": engine.Data, "22012": engine.Data, "22P02": engine.Data, "22003": engine.Data,
		"40001": engine.Serialization, "40P01": engine.Serialization, "40002": engine.Integrity, "40003": engine.Operational,
		"42601": engine.Programming, "42P01": engine.Programming, "42703": engine.Programming, "42501": engine.Programming, "3D000": engine.Programming,
		"08006": engine.Operational, "28P01": engine.Operational, "57014": engine.Operational, "57P01": engine.Operational, "53300": engine.Operational, "55P03": engine.Operational,
		"0A000": engine.NotSupported,
		"25P02": engine.Internal, "XX000": engine.Internal, "P0001": engine.Internal, "2D000": engine.Internal, "": engine.Internal,
	} {
		info, ok := classify(fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code, ConstraintName: "c", TableName: "t", ColumnName: "col"}))
		if !ok || info.Class != want {
			t.Errorf("SQLSTATE %q: class %d (ok %v), want %d", code, info.Class, ok, want)
		}
		if info.Code != code || info.SQLState != code || info.Constraint != "c" || info.Table != "t" || info.Column != "col" {
			t.Errorf("SQLSTATE %q: %+v does not carry the error's fields", code, info)
		}
	}
	if _, ok := classify(io.ErrUnexpectedEOF); ok {
		t.Error("an error that is not pgx's was classified")
	}
	if info, ok := classify(fmt.Errorf("extended protocol limited to %v parameters", 65535)); !ok || info.Class != engine.Programming {
		t.Errorf("pgconn's refusal of too many parameters: %+v, %v; want programming", info, ok)
	}
}

func TestCommitFailed(t *testing.T) {
	for _, c := range []struct {
		err           error
		failed, known bool
	}{
		{&pgconn.PgError{Severity: "ERROR", Code: "40001"}, true, true},
		{&pgconn.PgError{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "57P01"}, false, true},
		{&pgconn.PgError{Severity: "PANIC", Code: "XX000"}, false, true},
		{context.DeadlineExceeded, false, false},
	} {
		if failed, known := commitFailed(c.err); failed != c.failed || known != c.known {
			t.Errorf("commitFailed(%v) = %v, %v; want %v, %v", c.err, failed, known, c.failed, c.known)
		}
	}
}

func TestServerCodeAndFailedColumn(t *testing.T) {
	if code, ok := serverCode(fmt.Errorf("x: %w", &pgconn.PgError{Code: "23505", Message: "hunter2"})); !ok || code != "postgres error SQLSTATE 23505" {
		t.Errorf("serverCode = %q, %v", code, ok)
	}
	if _, ok := serverCode(errors.New("23505")); ok {
		t.Error("serverCode read an error that is not the server's")
	}
	if i, ok := failedColumn(fmt.Errorf("x: %w", pgx.ScanArgError{ColumnIndex: 3})); !ok || i != 3 {
		t.Errorf("failedColumn = %d, %v; want 3, true", i, ok)
	}
	if _, ok := failedColumn(io.EOF); ok {
		t.Error("failedColumn read an error that is not a scan error")
	}
}

func TestPgMajor(t *testing.T) {
	for v, want := range map[string]int{"15.20 (Debian 15.20-0+deb12u1)": 15, "9.6.24": 9, "17beta1": 17, "12.22": 12, "": 0, "x": 0} {
		if got := pgMajor(v); got != want {
			t.Errorf("pgMajor(%q) = %d; want %d", v, got, want)
		}
	}
}
