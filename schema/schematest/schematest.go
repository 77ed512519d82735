// Package schematest checks table descriptors against a database from a program's own tests,
// so that a misspelt `db` tag or a column whose type changed fails a test instead of a query
// in production.
//
//	func TestSchema(t *testing.T) {
//		db := openTestDB(t) // a database migrated the way production is
//		schematest.Check(t, db, store.Users, store.Orders)
//	}
package schematest

import (
	"context"
	"errors"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/schema"
)

// Check runs schema.Check on the descriptors and reports each difference from the database
// as its own test error (t.Errorf), so one run lists them all; the test goes on. A descriptor
// that is invalid, or a database that cannot be read, stops the test (t.Fatal).
func Check(t testing.TB, db *conn.DB, descriptors ...any) {
	t.Helper()
	ctx := context.Background()
	if c, ok := t.(interface{ Context() context.Context }); ok {
		ctx = c.Context()
	}
	err := schema.Check(ctx, db, descriptors...)
	var ce *schema.CheckError
	switch {
	case err == nil:
	case errors.As(err, &ce):
		for _, m := range ce.Mismatches {
			t.Errorf("schema: %s", m)
		}
	default:
		t.Fatal(err)
	}
}
