package conn

import (
	"context"

	"github.com/typedsql/typedsql/conn/config"
)

// A database's configuration lives in package conn/config (one table of settings drives its
// URL, YAML and environment forms and its redaction); conn re-exports its types under the
// same names and opens what they describe.
type (
	// Config describes one database: a URL, or the adapter and connection fields, plus pool
	// settings and driver arguments (config.Config).
	Config = config.Config
	// PoolConfig sets the pool's limits (config.PoolConfig).
	PoolConfig = config.PoolConfig
	// SQLiteConfig holds the pragmas applied to every new SQLite connection
	// (config.SQLiteConfig).
	SQLiteConfig = config.SQLiteConfig
	// Duration is a time.Duration that reads and writes as text ("30s") in YAML and JSON
	// (config.Duration).
	Duration = config.Duration
	// InitFunc runs on every new physical connection before it is used (config.InitFunc).
	InitFunc = config.InitFunc
	// InitConn is the connection an InitFunc runs its statements on (config.InitConn).
	InitConn = config.InitConn
)

// ParseURL reads a database URL into a Config (see config.ParseURL for the forms):
//
//	cfg, err := conn.ParseURL("postgres://app@db/app?sslmode=disable&pool_max_conns=20")
func ParseURL(raw string) (Config, error) { return config.ParseURL(raw) }

// LoadConfigs reads a YAML file holding several named databases, each a Config, with
// ${NAME} references to the environment (see config.LoadConfigs).
//
//	cfgs, err := conn.LoadConfigs("config/databases.yml")
func LoadConfigs(path string) (map[string]Config, error) { return config.LoadConfigs(path) }

// ParseConfigs is LoadConfigs for YAML already in memory.
func ParseConfigs(data []byte) (map[string]Config, error) { return config.ParseConfigs(data) }

// OpenNamed opens the database called name in the YAML file at path (see LoadConfigs).
//
//	db, err := conn.OpenNamed(ctx, "config/databases.yml", "primary")
//
// Only that database's settings are read and checked, and only its ${NAME} references
// expanded: a process that opens "primary" needs none of the environment variables of
// "analytics". A name the file does not have is an error listing the names it has.
func OpenNamed(ctx context.Context, path, name string, opts ...Option) (*DB, error) {
	cfg, err := config.LoadNamed(path, name)
	if err != nil {
		return nil, err
	}
	return OpenConfig(ctx, cfg, opts...)
}
