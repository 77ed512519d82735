package bench

import (
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// The end-to-end benchmarks take their databases from the test harness: a fresh database per
// engine, from TYPEDSQL_TEST_POSTGRES_URL and TYPEDSQL_TEST_MYSQL_URL (a temporary file for
// SQLite), dropped afterwards.
func TestMain(m *testing.M) { testcontainers.Main(m) }
