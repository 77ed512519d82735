package testcontainers_test

import (
	"testing"

	_ "github.com/typedsql/typedsql/conn/mysql"    // mysql://, mariadb://
	_ "github.com/typedsql/typedsql/conn/postgres" // postgres://
	_ "github.com/typedsql/typedsql/conn/sqlite"   // sqlite://
	"github.com/typedsql/typedsql/testcontainers"
)

// The harness's own tests use Main the way its users are told to.
func TestMain(m *testing.M) { testcontainers.Main(m) }
