// Package typecheck holds no code, only a test: it proves that the typed API of packages expr
// and builder rejects mismatched Go types at compile time. The test writes Go snippets into a
// temporary module that imports the real typedsql packages, compiles them all with one
// `go build`, and asserts that every snippet that must not compile fails on its marked line with
// the expected compiler message, while one program using every construct correctly compiles.
package typecheck
