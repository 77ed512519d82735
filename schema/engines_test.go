package schema_test

// The engines the tests and Examples open, linked as a program that uses them links them.
import (
	_ "github.com/typedsql/typedsql/conn/mysql"
	_ "github.com/typedsql/typedsql/conn/postgres"
	_ "github.com/typedsql/typedsql/conn/sqlite"
)
