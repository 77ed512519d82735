package txn_test

import (
	"testing"

	_ "github.com/typedsql/typedsql/conn/mysql"    // mysql://, mariadb://
	_ "github.com/typedsql/typedsql/conn/postgres" // postgres://
	_ "github.com/typedsql/typedsql/conn/sqlite"   // sqlite://
	"github.com/typedsql/typedsql/testcontainers"
)

// TestMain removes the Docker containers the harness started for this binary, if any.
func TestMain(m *testing.M) { testcontainers.Main(m) }
