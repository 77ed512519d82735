package replica_test

import (
	"testing"

	_ "github.com/typedsql/typedsql/conn/mysql"
	_ "github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/testcontainers"
)

func TestMain(m *testing.M) { testcontainers.Main(m) }
