// Package conformance holds no library code: its tests run typedsql's statement forms and value
// types on PostgreSQL, MySQL/MariaDB and SQLite, one table of cases for all three engines, each
// case on a fresh database from the testcontainers harness, and compare the rows the database
// returns or changes with the expected ones.
//
//	go test ./conformance/                      # SQLite only; the servers skip with a hint
//	TYPEDSQL_TEST_POSTGRES_URL=... TYPEDSQL_TEST_MYSQL_URL=... go test ./conformance/
package conformance
