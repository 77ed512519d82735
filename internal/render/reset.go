package render

// ResetCaches empties expr's render caches (the interned texts and the texts of known
// shapes), so that the next render of any statement is its first. Benchmarks use it to
// measure a first render (BenchmarkRender's impl=first); it is set by package expr and is
// not for concurrent use with rendering. It lives here, in an internal package, so that it
// is not part of expr's API.
var ResetCaches func()
