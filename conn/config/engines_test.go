package config_test

// The engines whose URLs the tests parse, linked as a program that uses them links them: what
// a scheme means is the engine package's.
import (
	_ "github.com/typedsql/typedsql/conn/mysql"
	_ "github.com/typedsql/typedsql/conn/postgres"
	_ "github.com/typedsql/typedsql/conn/sqlite"
)
