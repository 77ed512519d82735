package testcontainers_test

import (
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// The harness's own tests use Main the way its users are told to.
func TestMain(m *testing.M) { testcontainers.Main(m) }
