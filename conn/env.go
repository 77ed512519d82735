package conn

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// OpenFromEnv opens the database URL in the environment variable name, or fallback when the
// variable is unset or empty: the "URL from the environment, else a local SQLite file" pattern
// of twelve-factor apps and peewee's db_url.
//
//	db, err := conn.OpenFromEnv(ctx, "DATABASE_URL", "sqlite:///app.db")
//
// An error names the variable (never its value's password).
func OpenFromEnv(ctx context.Context, name, fallback string, opts ...Option) (*DB, error) {
	url, from := strings.TrimSpace(os.Getenv(name)), "$"+name
	if url == "" {
		url, from = fallback, "fallback database URL"
	}
	db, err := Open(ctx, url, opts...)
	if err != nil {
		return nil, fmt.Errorf("conn: %s: %w", from, unprefixed(err))
	}
	return db, nil
}

// unprefixed drops a leading "conn: " from err's text, for an error about to be prefixed again
// ("conn: Savepoint: not inside a transaction", not "conn: Savepoint: conn: not inside ...").
// errors.Is and errors.As still see err.
func unprefixed(err error) error {
	if err == nil {
		return nil
	}
	if msg, ok := strings.CutPrefix(err.Error(), "conn: "); ok {
		return &redactedError{msg: msg, err: err}
	}
	return err
}
