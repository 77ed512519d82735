// Package shapecheck is what is left of the statement cache's self-check switch, which the
// expr package no longer reads: a statement served from the cache is now compared with a
// fresh rendering by the tests themselves (builder's TestShapeCacheServesEveryStatementItsOwnSQL,
// the conformance runner). Only conn's TestMain still sets it; delete the package with that
// line.
package shapecheck

import "sync/atomic"

// Verify is read by nothing.
var Verify atomic.Bool
