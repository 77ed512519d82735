package testcontainers

import (
	"os"
	"strconv"
)

// Engine names a database engine the harness can provide.
type Engine string

// The engines, named as the subtests of [ForEach] are.
const (
	EnginePostgres Engine = "postgres"
	// EngineMySQL is MySQL or MariaDB: whichever server TYPEDSQL_TEST_MYSQL_URL names
	// (Docker starts MySQL). [Database.MariaDB] tells them apart.
	EngineMySQL  Engine = "mysql"
	EngineSQLite Engine = "sqlite"
)

// Engines lists every engine in the order [ForEach] runs them.
var Engines = []Engine{EnginePostgres, EngineMySQL, EngineSQLite}

// The environment variables the harness reads.
const (
	// EnvPostgresURL names a PostgreSQL server and an admin database on it.
	EnvPostgresURL = "TYPEDSQL_TEST_POSTGRES_URL"
	// EnvMySQLURL names a MySQL or MariaDB server and a database on it.
	EnvMySQLURL = "TYPEDSQL_TEST_MYSQL_URL"
	// EnvRequire, when true ("1"), turns "no server available" from a skip into a failure.
	EnvRequire = "TYPEDSQL_TEST_REQUIRE"
	// EnvTally names a file that receives one line per database created.
	EnvTally = "TYPEDSQL_TEST_TALLY"
)

// urlEnv is the environment variable that names a server for e, or "" for SQLite.
func (e Engine) urlEnv() string {
	switch e {
	case EnginePostgres:
		return EnvPostgresURL
	case EngineMySQL:
		return EnvMySQLURL
	}
	return ""
}

// title is the engine's name in messages.
func (e Engine) title() string {
	switch e {
	case EnginePostgres:
		return "PostgreSQL"
	case EngineMySQL:
		return "MySQL/MariaDB"
	case EngineSQLite:
		return "SQLite"
	}
	return strconv.Quote(string(e))
}

// required reports whether TYPEDSQL_TEST_REQUIRE asks for failures instead of skips.
func required() bool {
	v, err := strconv.ParseBool(os.Getenv(EnvRequire))
	return err == nil && v
}
