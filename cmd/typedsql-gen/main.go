package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/typedsql/typedsql/conn"
	_ "github.com/typedsql/typedsql/conn/mysql"    // mysql:// and mariadb:// URLs
	_ "github.com/typedsql/typedsql/conn/postgres" // postgres:// URLs
	_ "github.com/typedsql/typedsql/conn/sqlite"   // sqlite:// URLs
	"github.com/typedsql/typedsql/schema"
)

// Exit statuses.
const (
	exitOK      = 0
	exitError   = 1 // the database could not be read or the files not written
	exitUsage   = 2 // bad flags
	exitWarning = 3 // -strict and at least one warning: nothing written
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command's flags.
type options struct {
	url, dbConfig, dbName string
	out, pkg              string
	schemas               []string
	include, exclude      []string
	views, noRows, strict bool
	files                 string
	config                string
	timeout               time.Duration
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "skel" {
		return runSkel(args[1:], stdout, stderr)
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintln(stderr, "typedsql-gen:", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	files, warnings, err := generate(ctx, o)
	for _, w := range warnings {
		fmt.Fprintln(stderr, "typedsql-gen: warning:", w)
	}
	if err != nil {
		fmt.Fprintln(stderr, "typedsql-gen:", err)
		return exitError
	}
	if o.strict && len(warnings) > 0 {
		fmt.Fprintf(stderr, "typedsql-gen: %d warning(s) and -strict: nothing written\n", len(warnings))
		return exitWarning
	}
	if err := writeFiles(o.out, files); err != nil {
		fmt.Fprintln(stderr, "typedsql-gen:", err)
		return exitError
	}
	return exitOK
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var schemas, include, exclude string
	fs := flag.NewFlagSet("typedsql-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", "", "the database, as conn.Open takes it: postgres://..., mysql://..., mariadb://..., sqlite:///file.db")
	fs.StringVar(&o.dbConfig, "db-config", "", "a YAML file of named databases, as conn.OpenNamed reads it (with -db)")
	fs.StringVar(&o.dbName, "db", "", "the database's name in -db-config")
	fs.StringVar(&o.out, "out", "", "the output directory (made if missing)")
	fs.StringVar(&o.pkg, "pkg", "", "the Go package name (default: the output directory's name)")
	fs.StringVar(&schemas, "schema", "", "comma-separated schemas to read (default: the connection's own); a named schema qualifies the tables")
	fs.StringVar(&include, "include", "", "comma-separated globs: generate only the tables they match (name or schema.name)")
	fs.StringVar(&exclude, "exclude", "", "comma-separated globs: leave out the tables they match")
	fs.BoolVar(&o.views, "views", false, "generate read-only descriptors of views too")
	fs.BoolVar(&o.noRows, "no-rows", false, "generate no row structs")
	fs.StringVar(&o.files, "files", "package", "package: one file; table: one file per table")
	fs.StringVar(&o.config, "config", "", "the generator's YAML config: Go types per database type and per column, initialisms")
	fs.BoolVar(&o.strict, "strict", false, "warnings are an error: exit status 3 and nothing written")
	fs.DurationVar(&o.timeout, "timeout", time.Minute, "how long reading the database may take")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: typedsql-gen -url URL -out DIR [-pkg NAME] [flags]\n       typedsql-gen skel Table... > main.go\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags go before arguments; the only subcommand is skel)", fs.Arg(0))
	}
	switch {
	case o.url == "" && o.dbConfig == "":
		return o, errors.New("no database: give -url, or -db-config and -db")
	case o.url != "" && o.dbConfig != "":
		return o, errors.New("give -url or -db-config, not both")
	case o.dbConfig != "" && o.dbName == "":
		return o, errors.New("-db-config needs -db, the database's name in the file")
	case o.out == "":
		return o, errors.New("no output directory: give -out")
	case o.files != "package" && o.files != "table":
		return o, fmt.Errorf("-files %q: want package or table", o.files)
	}
	if o.pkg == "" {
		abs, err := filepath.Abs(o.out)
		if err != nil {
			return o, err
		}
		o.pkg = filepath.Base(abs)
	}
	if !isIdent(o.pkg) {
		return o, fmt.Errorf("-pkg %q is not a Go package name", o.pkg)
	}
	o.schemas, o.include, o.exclude = splitList(schemas), splitList(include), splitList(exclude)
	for _, g := range append(append([]string(nil), o.include...), o.exclude...) {
		if _, err := path.Match(g, ""); err != nil {
			return o, fmt.Errorf("glob %q: %w", g, err)
		}
	}
	return o, nil
}

func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isIdent(s string) bool {
	if s == "" || s == "_" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// open opens the database the flags name.
func (o options) open(ctx context.Context) (*conn.DB, error) {
	if o.dbConfig != "" {
		return conn.OpenNamed(ctx, o.dbConfig, o.dbName)
	}
	return conn.Open(ctx, o.url)
}

// source names the database for the generated header, without a password.
func (o options) source() string {
	if o.dbConfig != "" {
		return fmt.Sprintf("database %s of %s", o.dbName, filepath.ToSlash(o.dbConfig))
	}
	u, err := url.Parse(o.url)
	if err != nil {
		return "(a URL that does not parse)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// generateLine is the //go:generate command that repeats this run from the package's
// directory. A password in -url is written $TYPEDSQL_GEN_PASSWORD, which go generate takes
// from the environment.
func (o options) generateLine() string {
	args := []string{"go", "run", "github.com/typedsql/typedsql/cmd/typedsql-gen"}
	add := func(name, value string) {
		if strings.ContainsAny(value, " \t\"") {
			value = fmt.Sprintf("%q", value)
		}
		args = append(args, "-"+name, value)
	}
	if o.url != "" {
		add("url", passwordFromEnv(o.url))
	} else {
		add("db-config", filepath.ToSlash(o.dbConfig))
		add("db", o.dbName)
	}
	add("out", ".")
	add("pkg", o.pkg)
	if len(o.schemas) > 0 {
		add("schema", strings.Join(o.schemas, ","))
	}
	if len(o.include) > 0 {
		add("include", strings.Join(o.include, ","))
	}
	if len(o.exclude) > 0 {
		add("exclude", strings.Join(o.exclude, ","))
	}
	if o.files != "package" {
		add("files", o.files)
	}
	if o.config != "" {
		add("config", filepath.ToSlash(o.config))
	}
	for _, b := range []struct {
		on   bool
		name string
	}{{o.views, "-views"}, {o.noRows, "-no-rows"}, {o.strict, "-strict"}} {
		if b.on {
			args = append(args, b.name)
		}
	}
	return strings.Join(args, " ")
}

const passwordVar = "$TYPEDSQL_GEN_PASSWORD"

func passwordFromEnv(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "$TYPEDSQL_GEN_URL"
	}
	const mark = "TYPEDSQLGENPASSWORDMARK"
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), mark)
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", mark)
		u.RawQuery = q.Encode()
	}
	return strings.ReplaceAll(u.String(), mark, passwordVar)
}

// generate reads the database and renders the package; nothing is written.
func generate(ctx context.Context, o options) (map[string][]byte, []string, error) {
	cfg, err := loadConfig(o.config)
	if err != nil {
		return nil, nil, err
	}
	db, err := o.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	ddl := db.Dialect().Caps().DDL
	n := newNamer(cfg.Initialisms)
	w := &warner{}
	schemas := o.schemas
	if len(schemas) == 0 {
		schemas = []string{""}
	}
	var tables []*genTable
	for _, kind := range []byte{'t', 'v'} {
		if kind == 'v' && !o.views {
			break
		}
		for _, s := range schemas {
			names, err := listRelations(ctx, db, s, kind)
			if err != nil {
				return nil, nil, err
			}
			for _, name := range names {
				if !o.wanted(s, name) {
					continue
				}
				var t schema.Table
				if kind == 't' {
					t, err = schema.Inspect(ctx, db, s, name)
				} else {
					t, err = inspectView(ctx, db, s, name)
				}
				if err != nil {
					return nil, nil, err
				}
				g := buildTable(ddl, t, kind == 'v', cfg, n, w)
				g.Qualify = s != ""
				tables = append(tables, &g)
			}
		}
	}
	if len(tables) == 0 {
		return nil, w.list, fmt.Errorf("no tables to generate in schema(s) %s%s", schemaList(schemas), o.filterNote())
	}
	if err := checkTopNames(tables); err != nil {
		return nil, w.list, err
	}
	linkRefs(tables)
	p := &genPackage{Name: o.pkg, Source: o.source(), Generate: o.generateLine(),
		PerTable: o.files == "table", NoRows: o.noRows, Tables: tables}
	files, err := render(p)
	return files, w.list, err
}

func schemaList(schemas []string) string {
	out := make([]string, len(schemas))
	for i, s := range schemas {
		out[i] = schemaOrDefault(s)
	}
	return strings.Join(out, ", ")
}

func (o options) filterNote() string {
	if len(o.include)+len(o.exclude) == 0 {
		return ""
	}
	return fmt.Sprintf(" (after -include %q, -exclude %q)", strings.Join(o.include, ","), strings.Join(o.exclude, ","))
}

// wanted applies -include and -exclude to a table, by name and by schema.name.
func (o options) wanted(schemaName, name string) bool {
	match := func(globs []string) bool {
		for _, g := range globs {
			if ok, _ := path.Match(g, name); ok {
				return true
			}
			if schemaName != "" {
				if ok, _ := path.Match(g, schemaName+"."+name); ok {
					return true
				}
			}
		}
		return false
	}
	if len(o.include) > 0 && !match(o.include) {
		return false
	}
	return !match(o.exclude)
}

// checkTopNames refuses two tables whose Go names collide (users and Users, or order_items
// and the row struct of order_item...): their declarations would not compile.
func checkTopNames(tables []*genTable) error {
	owner := map[string]string{"Tables": "(the Tables function)", "Views": "(the Views function)"}
	var errs []error
	for _, g := range tables {
		for _, name := range []string{g.Var, g.Type, g.Row} {
			if other, ok := owner[name]; ok {
				errs = append(errs, fmt.Errorf("tables %s and %s both need the Go name %s: leave one out with -exclude, or generate them into two packages", other, g.Table.QualifiedName(), name))
				break
			}
			owner[name] = g.Table.QualifiedName()
		}
	}
	return errors.Join(errs...)
}
