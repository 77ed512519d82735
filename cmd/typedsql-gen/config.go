package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/typedsql/typedsql/schema"
)

// genConfig is the generator's config file (-config): Go types for database types and for
// single columns, and more initialisms.
//
//	types:                        # a database type, as the catalog spells it or its first word
//	  numeric: github.com/shopspring/decimal.Decimal
//	  "character varying(2)": string
//	  interval: string
//	columns:                      # table.column or schema.table.column; wins over types
//	  orders.total: github.com/shopspring/decimal.Decimal
//	initialisms: [SKU, EAN]
//
// A column whose type a config file maps gets the live type in its tag (type=...), so that
// schema.Create makes it again; the Go type must be one the driver scans that type into.
type genConfig struct {
	Types       map[string]string `yaml:"types"`
	Columns     map[string]string `yaml:"columns"`
	Initialisms []string          `yaml:"initialisms"`

	types, columns map[string]goType
}

// loadConfig reads a config file; an empty path is no config.
func loadConfig(path string) (*genConfig, error) {
	cfg := &genConfig{}
	if path == "" {
		return cfg, cfg.resolve()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	if err := cfg.resolve(); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return cfg, nil
}

func (c *genConfig) resolve() error {
	c.types, c.columns = map[string]goType{}, map[string]goType{}
	for k, v := range c.Types {
		gt, err := parseGoType(v)
		if err != nil {
			return fmt.Errorf("types: %s: %w", k, err)
		}
		c.types[canonType(k)] = gt
	}
	for k, v := range c.Columns {
		if strings.Count(k, ".") < 1 {
			return fmt.Errorf("columns: %q: want table.column or schema.table.column", k)
		}
		gt, err := parseGoType(v)
		if err != nil {
			return fmt.Errorf("columns: %s: %w", k, err)
		}
		c.columns[k] = gt
	}
	return nil
}

// override is the Go type the config gives column c of table t: by schema.table.column,
// table.column, the whole type, then the type's first word.
func (c *genConfig) override(t schema.Table, col schema.Column) (goType, bool) {
	if t.Schema != "" {
		if gt, ok := c.columns[t.Schema+"."+t.Name+"."+col.Name]; ok {
			return gt, true
		}
	}
	if gt, ok := c.columns[t.Name+"."+col.Name]; ok {
		return gt, true
	}
	if gt, ok := c.types[canonType(col.Type)]; ok {
		return gt, true
	}
	word, _ := baseType(canonType(col.Type))
	gt, ok := c.types[word]
	return gt, ok
}
