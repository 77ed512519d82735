package builder_test

import (
	"testing"

	"github.com/typedsql/typedsql/internal/shapecheck"
)

// Every statement this package's tests build is checked against a fresh rendering when the
// shape cache serves it (see expr.Shape).
func init() { shapecheck.Verify.Store(true) }

// withoutShapeCheck turns the self-check off for a benchmark or an allocation count, which
// would otherwise measure the fresh rendering too.
func withoutShapeCheck(tb testing.TB) {
	shapecheck.Verify.Store(false)
	tb.Cleanup(func() { shapecheck.Verify.Store(true) })
}
