package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadConfigs reads a YAML file holding several named databases, each a Config:
//
//	primary:
//	  url: postgres://app@db.internal/app?sslmode=require
//	  password: ${APP_DB_PASSWORD}
//	  pool: {max_conns: 20, acquire_timeout: 5s}
//	analytics:
//	  adapter: mysql
//	  host: analytics.internal
//	  user: reader
//	  password: ${ANALYTICS_PASSWORD}
//	  database: events
//	  driver_args: {tls: "true"}
//	local:
//	  url: sqlite:///local.db
//	  sqlite: {journal_mode: wal, busy_timeout: 10s}
//
// ${NAME} in a value is replaced by the environment variable NAME (an unset one is an error
// unless written ${NAME:-default}), so passwords need not be in the file. Every database is
// checked as conn.Open would check it; an unknown key, a value of the wrong type or a bad setting is
// an error naming the database, the key and the line. Errors never show a password or a value
// taken from the environment.
func LoadConfigs(path string) (map[string]Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("conn: database config file: %w", err)
	}
	cfgs, err := ParseConfigs(data)
	if err != nil {
		return nil, fmt.Errorf("conn: %s: %w", path, errors.Unwrap(err))
	}
	return cfgs, nil
}

// ParseConfigs is LoadConfigs for YAML already in memory.
func ParseConfigs(data []byte) (map[string]Config, error) {
	root, err := parseConfigDoc(data)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Config, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		name := root.Content[i].Value
		c, err := entryConfig(name, root.Content[i+1])
		if err != nil {
			return nil, err
		}
		out[name] = c
	}
	return out, nil
}

// LoadNamed reads the database called name in the YAML file at path (see LoadConfigs); it is
// what conn.OpenNamed opens.
//
//	cfg, err := config.LoadNamed("config/databases.yml", "primary")
//
// Only that database's settings are read and checked, and only its ${NAME} references
// expanded: a process that opens "primary" needs none of the environment variables of
// "analytics". A name the file does not have is an error listing the names it has.
func LoadNamed(path, name string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("conn: database config file: %w", err)
	}
	root, err := parseConfigDoc(data)
	if err != nil {
		return Config{}, fmt.Errorf("conn: %s: %w", path, errors.Unwrap(err))
	}
	var names []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != name {
			names = append(names, root.Content[i].Value)
			continue
		}
		cfg, err := entryConfig(name, root.Content[i+1])
		if err != nil {
			return Config{}, fmt.Errorf("conn: %s: %w", path, errors.Unwrap(err))
		}
		return cfg, nil
	}
	slices.Sort(names)
	return Config{}, fmt.Errorf("conn: %s has no database %q; it has %s", path, name, strings.Join(names, ", "))
}

// parseConfigDoc reads a config file's YAML and returns its mapping of names to databases.
func parseConfigDoc(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, configErr(err)
	}
	if len(doc.Content) == 0 {
		return nil, configErr(errors.New("no databases: want a mapping of names to database configs"))
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, configErr(fmt.Errorf("line %d: want a mapping of names to database configs", root.Line))
	}
	return root, nil
}

// entryConfig expands the environment references of one database's settings and reads and
// checks them as conn.Open would.
func entryConfig(name string, body *yaml.Node) (Config, error) {
	if body.Kind != yaml.MappingNode {
		return Config{}, configErr(fmt.Errorf("line %d: database %q: want a mapping of settings", body.Line, name))
	}
	var secrets []string
	if err := expandEnv(body, &secrets); err != nil {
		return Config{}, configErr(fmt.Errorf("database %q: %w", name, err))
	}
	collectPasswords(body, &secrets)
	if err := checkKeys(body, reflect.TypeFor[Config](), ""); err != nil {
		return Config{}, configErr(fmt.Errorf("database %q: %w", name, err))
	}
	var c Config
	if err := body.Decode(&c); err != nil {
		return Config{}, configErr(fmt.Errorf("database %q: %s", name, redactYAML(yamlMessage(err), secrets)))
	}
	if _, err := c.resolve(); err != nil {
		return Config{}, configErr(fmt.Errorf("database %q (line %d): %s", name, body.Line, strings.TrimPrefix(err.Error(), "conn: ")))
	}
	return c, nil
}

// configErr wraps an error of the config file; LoadConfigs replaces the wrapping with the
// file's path.
func configErr(err error) error { return fmt.Errorf("conn: database config: %w", err) }

// yamlMessage flattens yaml.v3's multi-line type errors into one line.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	return strings.Join(strings.Fields(msg), " ")
}

var yamlQuoted = regexp.MustCompile("`[^`]*`")

// redactYAML masks secrets in a yaml.v3 message, which quotes a value in backquotes and cuts a
// long one to its first characters and "...".
func redactYAML(msg string, secrets []string) string {
	return yamlQuoted.ReplaceAllStringFunc(msg, func(q string) string {
		v := q[1 : len(q)-1]
		cut, truncated := strings.CutSuffix(v, "...")
		for _, s := range secrets {
			if s != "" && (v == s || (truncated && strings.HasPrefix(s, cut)) || strings.Contains(v, s)) {
				return "`" + redactedPassword + "`"
			}
		}
		return q
	})
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}`)

// expandEnv replaces ${NAME} and ${NAME:-default} in every scalar value, and records the
// values it put in so that errors can mask them.
func expandEnv(n *yaml.Node, secrets *[]string) error {
	if n.Kind == yaml.ScalarNode {
		if !strings.Contains(n.Value, "${") {
			return nil
		}
		var missing string
		whole := envRef.FindStringIndex(n.Value)
		onlyRef := whole != nil && whole[0] == 0 && whole[1] == len(n.Value)
		expanded := envRef.ReplaceAllStringFunc(n.Value, func(ref string) string {
			m := envRef.FindStringSubmatch(ref)
			if v, ok := os.LookupEnv(m[1]); ok {
				if v != "" {
					*secrets = append(*secrets, v)
				}
				return v
			}
			if m[2] != "" {
				return m[2][2:]
			}
			if missing == "" {
				missing = m[1]
			}
			return ""
		})
		if missing != "" {
			return fmt.Errorf("line %d: environment variable %s is not set (write ${%s:-default} to give a default)", n.Line, missing, missing)
		}
		n.Value = expanded
		if onlyRef && n.Style == 0 {
			// An unquoted value that was only a reference takes the type its text has, so
			// that port: ${DB_PORT} is a number; a string field accepts any of them.
			n.Tag = resolvedTag(expanded)
		}
		return nil
	}
	for _, c := range n.Content {
		if err := expandEnv(c, secrets); err != nil {
			return err
		}
	}
	return nil
}

func resolvedTag(s string) string {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return "!!int"
	}
	if s == "true" || s == "false" {
		return "!!bool"
	}
	return "!!str"
}

// collectPasswords records the password values of the file (a password: key, or the password
// of a url:) so that errors can mask them.
func collectPasswords(n *yaml.Node, secrets *[]string) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case v.Kind == yaml.ScalarNode && isSecretArg(k.Value):
				*secrets = append(*secrets, v.Value)
			case v.Kind == yaml.ScalarNode && k.Value == "url":
				if c, err := ParseURL(v.Value); err == nil && c.Password != "" {
					*secrets = append(*secrets, c.Password)
				}
			}
		}
	}
	for _, c := range n.Content {
		collectPasswords(c, secrets)
	}
}

// checkKeys reports a key of a mapping that t has no yaml field for, with the line and the
// keys it does have.
func checkKeys(n *yaml.Node, t reflect.Type, prefix string) error {
	known := map[string]reflect.Type{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		known[name] = f.Type
		names = append(names, name)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, ok := known[k.Value]
		if !ok {
			return fmt.Errorf("line %d: unknown key %q (known: %s)", k.Line, prefix+k.Value, strings.Join(names, ", "))
		}
		if ft.Kind() == reflect.Struct && v.Kind == yaml.MappingNode && !reflect.PointerTo(ft).Implements(reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()) {
			if err := checkKeys(v, ft, prefix+k.Value+"."); err != nil {
				return err
			}
		}
	}
	return nil
}
