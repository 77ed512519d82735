//go:build tools

// Package deps pins the modules the packages under construction import, so that go.mod keeps
// them while those packages are written. Remove once every module here is imported for real.
package deps

import (
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/ory/dockertest/v3"
	_ "go.uber.org/goleak"
	_ "gopkg.in/yaml.v3"
	_ "modernc.org/sqlite"
)
