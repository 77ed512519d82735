package conformance

import "github.com/typedsql/typedsql/internal/shapecheck"

// Every statement these tests run and the cache serves is checked against a fresh rendering
// (see expr.Shape): the cases run the same shapes with different values on three engines.
func init() { shapecheck.Verify.Store(true) }
