// Package testcontainers gives each test a fresh, isolated database on PostgreSQL, MySQL/MariaDB
// or SQLite, for typedsql's own tests and for the tests of programs that use typedsql.
//
//	func TestUsers(t *testing.T) {
//		testcontainers.ForEach(t, func(t *testing.T, db *testcontainers.Database) {
//			// db.SQL is an open *sql.DB on a new, empty database that nothing else sees;
//			// db.URL is the same database in typedsql's URL form, for conn.Open.
//			if _, err := db.SQL.ExecContext(t.Context(), `CREATE TABLE users (id int)`); err != nil {
//				t.Fatal(err)
//			}
//		})
//	}
//
// Every call to [Postgres], [MySQL] or [Open] runs CREATE DATABASE with a random name on a
// server and registers DROP DATABASE in t.Cleanup (forcibly: lingering connections are
// terminated first), so tests may run in parallel. [SQLite] creates a file in t.TempDir().
//
// # Where the servers come from
//
// For PostgreSQL and MySQL the server is found, once per test binary, in this order:
//
//  1. An environment variable naming an existing server and an admin database the user may run
//     CREATE DATABASE from: TYPEDSQL_TEST_POSTGRES_URL
//     (postgres://user[:password]@host:port/postgres?sslmode=disable) and
//     TYPEDSQL_TEST_MYSQL_URL (mysql://user[:password]@host:port/mysql). MariaDB serves as MySQL.
//  2. Docker, through github.com/ory/dockertest/v3: one postgres:16 and one mysql:8.4 container per
//     test binary (other images with TYPEDSQL_TEST_POSTGRES_IMAGE and TYPEDSQL_TEST_MYSQL_IMAGE),
//     started on first use, waited for with exponential backoff up to TYPEDSQL_TEST_DOCKER_WAIT
//     (default 2m; a container that exits is reported at once, with its log), and shared by all
//     tests of the binary. Call [Main] from TestMain so the containers are purged when the tests
//     end; those of a binary that died are removed by the next one on the same host.
//     testcontainers/docker/images.sh builds suitable images from Debian packages where no
//     registry can be reached.
//  3. Otherwise the test is skipped with a message saying how to provide a server; with
//     TYPEDSQL_TEST_REQUIRE=1 in the environment it fails instead, so CI cannot pass by
//     silently skipping an engine.
//
// A URL that is set but does not answer is always a failure, never a skip.
//
// # Replica sets
//
// [PostgresReplicas] and [MariaDBReplicas] start a primary with streaming replicas for one test,
// from the server binaries installed on the machine (run as the "postgres" or "mysql" OS user
// when the test runs as root), with the operations a read-routing test needs: wait until the
// replicas have replayed the primary's writes, pause a replica's replay (a lagging replica),
// stop, crash and start a server, promote a replica. Without the binaries the test is skipped,
// or failed under TYPEDSQL_TEST_REQUIRE=1. They do not use Docker. [StartPgBouncer] puts
// PgBouncer in transaction pooling mode in front of any PostgreSQL database the harness gives.
//
// # Counting
//
// When TYPEDSQL_TEST_TALLY names a file, every database created appends one line
// "engine<TAB>package directory<TAB>test name" to it, which lets a CI script report how many
// tests ran per engine.
package testcontainers
