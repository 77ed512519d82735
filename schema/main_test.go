package schema_test

import (
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

func TestMain(m *testing.M) { testcontainers.Main(m) }
