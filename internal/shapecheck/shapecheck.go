// Package shapecheck holds the switch of the statement shape cache's self-check (see
// expr.Shape). The tests of the packages that build statements turn it on, so that a
// statement served from the cache is also rendered afresh and compared: a shape that misses
// something its SQL depends on fails the tests rather than an application's query.
package shapecheck

import "sync/atomic"

// Verify turns the self-check on.
var Verify atomic.Bool
