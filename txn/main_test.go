package txn_test

import (
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// TestMain removes the Docker containers the harness started for this binary, if any.
func TestMain(m *testing.M) { testcontainers.Main(m) }
