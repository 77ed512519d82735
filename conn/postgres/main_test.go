package postgres_test

import (
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// TestMain removes any containers the harness started for the COPY tests.
func TestMain(m *testing.M) { testcontainers.Main(m) }
