// Package bench compares typedsql with the libraries a Go team would pick instead, measured
// the same way: query builders rendering the same statements (render_*_test.go), and whole
// round trips on PostgreSQL, MariaDB and SQLite (e2e_*_test.go).
//
// It is a Go module of its own (bench/go.mod, with a replace of the root module to ../), so
// that a program importing typedsql never downloads the libraries it is compared with. It has
// no API: everything is in its tests and benchmarks.
//
//	cd bench && go test -run '^$' -bench . -benchmem    # render always; end to end per TYPEDSQL_TEST_*_URL
//	bash bench/run.sh                                   # the tables of BENCHMARKS.md, through benchstat
package bench
