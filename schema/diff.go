package schema

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// ErrDestructive is matched by Apply's error when the plan has a destructive change and
// AllowDestructive was not given.
var ErrDestructive = errors.New("schema: the plan destroys data")

// ErrUnsupportedChange is matched by Apply's error when the plan has a change the engine
// cannot make in place (on SQLite, one that needs the table rebuilt).
var ErrUnsupportedChange = errors.New("schema: a change cannot be made in place")

// ChangeKind names what a Change does.
type ChangeKind uint8

// The kinds of Change.
const (
	CreateTable ChangeKind = iota + 1
	AddColumn
	DropColumn
	AlterColumn
	AddIndex
	DropIndex
	AddUnique
	DropUnique
	AddForeignKey
	DropForeignKey
	AddCheck
	DropCheck
	AlterPrimaryKey
	// RebuildTable makes every change to one table at once by rebuilding it, on an engine
	// whose ALTER TABLE cannot change a column or a constraint (SQLite). It follows SQLite's
	// documented procedure (https://www.sqlite.org/lang_altertable.html#otheralter): with
	// foreign key enforcement off and in one transaction, create the new table under a
	// temporary name, copy the rows, drop the views, drop the old table, rename the new one,
	// create its indexes, then the triggers and views again, and run PRAGMA
	// foreign_key_check before COMMIT. Foreign keys of other tables that point at the table
	// keep pointing at it; a row that breaks a key rolls everything back. A table declared
	// with what the model does not hold (AUTOINCREMENT, COLLATE, generated columns, WITHOUT
	// ROWID, STRICT) is not rebuilt: Diff and AlterPlan return an error matching
	// ErrUnsupportedChange instead. Inside a transaction, where SQLite cannot turn foreign
	// keys off, a rebuild of a database that enforces them is refused (ErrUnsupportedChange)
	// rather than let DROP TABLE cascade into the tables pointing at it.
	RebuildTable
)

var changeNames = [...]string{"", "create table", "add column", "drop column", "alter column",
	"add index", "drop index", "add unique", "drop unique", "add foreign key", "drop foreign key",
	"add check", "drop check", "alter primary key", "rebuild table"}

func (k ChangeKind) String() string {
	if int(k) < len(changeNames) {
		return changeNames[k]
	}
	return "ChangeKind(" + strconv.Itoa(int(k)) + ")"
}

// Change is one step of a Plan.
type Change struct {
	Kind   ChangeKind
	Table  string // the qualified table name
	Name   string // the column, index or constraint; "" for a table
	Detail string // what differs
	// Destructive reports a change that loses data: dropping a column, narrowing a type.
	Destructive bool
	// Unsupported says why the engine cannot make the change in place ("" when it can); SQL
	// is then empty.
	Unsupported string
	SQL         []string
	rebuild     bool // SQL rebuilds a table: run it by runRebuild
}

func (c Change) String() string {
	s := c.Kind.String() + " " + strconv.Quote(c.Table)
	if c.Name != "" {
		s += "." + strconv.Quote(c.Name)
	}
	if c.Detail != "" {
		s += ": " + c.Detail
	}
	if c.Destructive {
		s += " [destructive]"
	}
	if c.Unsupported != "" {
		s += " [unsupported: " + c.Unsupported + "]"
	}
	return s
}

// Plan is what Diff found: the changes that bring the database to the descriptors, in the
// order they run.
type Plan struct {
	Changes []Change
}

// Empty reports that the database matches the descriptors.
func (p Plan) Empty() bool { return len(p.Changes) == 0 }

// SQL is every statement of the plan, in order.
func (p Plan) SQL() []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, c.SQL...)
	}
	return out
}

// String lists the changes, one a line.
func (p Plan) String() string {
	lines := make([]string, len(p.Changes))
	for i, c := range p.Changes {
		lines[i] = c.String()
	}
	return strings.Join(lines, "\n")
}

// Diff compares descriptors with the live database and plans the changes that bring the
// database to them: tables to create; columns to add, drop or alter (type, length,
// nullability, the default: see "What Check and Diff compare" in the package
// documentation); indexes, unique constraints, foreign keys and
// checks to add or drop; a primary key that differs; a new identity column (the rows there
// are numbered; it becomes the primary key). Tables the descriptors do not name are
// left alone. Dropping a column and narrowing a type are marked Destructive; changes the
// engine cannot make in place are in the plan with Unsupported set and no SQL; on SQLite,
// whose ALTER TABLE cannot change a column or a constraint, the changes to such a table become
// one RebuildTable change instead. A database created from the descriptors diffs empty.
//
//	plan, err := schema.Diff(ctx, db, Users, Orders)
//	fmt.Println(plan)
//	// add column "users"."nickname": missing
//	// drop column "users"."legacy": not in the descriptor [destructive]
//	fmt.Println(plan.SQL())
//	// [ALTER TABLE "users" ADD COLUMN "nickname" TEXT  ALTER TABLE "users" DROP COLUMN "legacy"]
func Diff(ctx context.Context, db *conn.DB, descriptors ...any) (Plan, error) {
	d := db.Dialect()
	want, err := Describe(d, descriptors...)
	if err != nil {
		return Plan{}, err
	}
	p, err := newPlanner(ctx, db)
	if err != nil {
		return Plan{}, err
	}
	var plan Plan
	var missing []Table
	for i := range want {
		live, err := Inspect(ctx, db, want[i].Schema, want[i].Name)
		if errors.Is(err, ErrNoTable) {
			missing = append(missing, want[i])
			continue
		}
		if err != nil {
			return Plan{}, err
		}
		chs := p.diffTable(&want[i], &live)
		if rebuilds(d) && slices.ContainsFunc(chs, func(c Change) bool { return c.Unsupported != "" }) {
			rb, err := rebuild(ctx, db, &want[i], &live, chs)
			if err != nil {
				return Plan{}, err
			}
			chs = []Change{rb}
		}
		plan.Changes = append(plan.Changes, chs...)
	}
	if len(missing) > 0 {
		stmts, err := createSQL(d, missing, false, nil, func(s string) (bool, error) { return schemaExists(ctx, db, s) })
		if err != nil {
			return Plan{}, err
		}
		names := make([]string, len(missing))
		for i := range missing {
			names[i] = missing[i].QualifiedName()
		}
		create := Change{Kind: CreateTable, Table: strings.Join(names, ", "), Detail: "missing", SQL: stmts}
		plan.Changes = append([]Change{create}, plan.Changes...)
	}
	return plan, nil
}

// ApplyOption adjusts Apply.
type ApplyOption func(*applyOptions)

type applyOptions struct{ destructive bool }

// AllowDestructive lets Apply run destructive changes.
func AllowDestructive() ApplyOption { return func(o *applyOptions) { o.destructive = true } }

// Apply runs a plan's SQL: in one transaction where DDL is transactional (PostgreSQL,
// SQLite), statement by statement on MySQL/MariaDB. It refuses, before running anything, a
// plan with a destructive change unless AllowDestructive is given (ErrDestructive) and a plan
// with a change the engine cannot make in place (ErrUnsupportedChange), naming them.
func Apply(ctx context.Context, db *conn.DB, plan Plan, opts ...ApplyOption) error {
	var o applyOptions
	for _, f := range opts {
		f(&o)
	}
	var refused []string
	for _, c := range plan.Changes {
		if c.Unsupported != "" {
			refused = append(refused, c.String())
		}
	}
	if len(refused) > 0 {
		return fmt.Errorf("%w:\n\t%s", ErrUnsupportedChange, strings.Join(refused, "\n\t"))
	}
	for _, c := range plan.Changes {
		if c.Destructive && !o.destructive {
			refused = append(refused, c.String())
		}
	}
	if len(refused) > 0 {
		return fmt.Errorf("%w (pass schema.AllowDestructive() to run it):\n\t%s", ErrDestructive, strings.Join(refused, "\n\t"))
	}
	if slices.ContainsFunc(plan.Changes, func(c Change) bool { return c.rebuild }) {
		return runRebuild(ctx, db, plan.SQL())
	}
	return run(ctx, db, plan.SQL())
}

// diffTable plans the changes to one existing table, in the order they run: the primary key
// dropped, then indexes and constraints that go, then columns added, altered and dropped,
// then the primary key, indexes and constraints that are new.
func (p planner) diffTable(want, live *Table) []Change {
	d := p.d
	ddl := d.Caps().DDL
	var out []Change
	tname := want.QualifiedName()
	alter := func() []byte { return appendTableName([]byte("ALTER TABLE "), d, want.Schema, want.Name) }
	change := func(k ChangeKind, name, detail string, sql ...string) *Change {
		out = append(out, Change{Kind: k, Table: tname, Name: name, Detail: detail, SQL: sql})
		return &out[len(out)-1]
	}
	unsupported := func(c *Change, why string) {
		c.Unsupported, c.SQL = why, nil
	}
	rebuild := "needs the table rebuilt, which this engine's ALTER TABLE cannot do"

	// The primary key: dropped first, added after the columns. A new identity column
	// declares its own (GENERATED ... PRIMARY KEY, AUTO_INCREMENT PRIMARY KEY).
	var addPK *Change
	if !slices.Equal(want.PrimaryKey, live.PrimaryKey) {
		detail := fmt.Sprintf("%v in the database, %v in the descriptor", live.PrimaryKey, want.PrimaryKey)
		newIdentity := false
		if len(want.PrimaryKey) == 1 {
			w, _ := want.Column(want.PrimaryKey[0])
			_, exists := live.Column(want.PrimaryKey[0])
			newIdentity = w != nil && w.Identity && !exists
		}
		var clauses []string
		switch {
		case ddl.DropPrimaryKey == "":
		case len(live.PrimaryKey) == 0:
		case ddl.PrimaryKeyByName && live.PrimaryKeyName == "":
		case ddl.PrimaryKeyByName:
			clauses = append(clauses, string(d.AppendIdent([]byte(ddl.DropPrimaryKey), live.PrimaryKeyName)))
		default:
			clauses = append(clauses, ddl.DropPrimaryKey)
		}
		var add string
		if len(want.PrimaryKey) > 0 && !newIdentity {
			add = string(append(appendIdents([]byte("ADD PRIMARY KEY ("), d, want.PrimaryKey), ')'))
		}
		switch {
		case ddl.DropPrimaryKey == "" || len(live.PrimaryKey) > 0 && len(clauses) == 0:
			unsupported(change(AlterPrimaryKey, "", detail), rebuild)
		case ddl.AlterColumn == dialect.AlterColumnModify && add != "":
			// MySQL drops and adds in one statement, after the columns, so the table is never
			// without a key.
			addPK = &Change{Kind: AlterPrimaryKey, Table: tname, Detail: detail,
				SQL: []string{string(alter()) + " " + strings.Join(append(clauses, add), ", ")}}
		default:
			if len(clauses) > 0 {
				change(AlterPrimaryKey, "", detail, string(alter())+" "+clauses[0])
			}
			if add != "" {
				addPK = &Change{Kind: AlterPrimaryKey, Table: tname, Detail: detail, SQL: []string{string(alter()) + " " + add}}
			}
		}
	}
	// Indexes and constraints that go, before the columns they may cover.
	var adds []Change
	for _, w := range want.Indexes {
		l := findIndex(live.Indexes, w.Name)
		if l != nil && sameIndex(&w, l) {
			continue
		}
		if l != nil {
			change(DropIndex, l.Name, "differs from the descriptor", dropIndexSQL(d, want, l.Name))
		}
		c := Change{Kind: AddIndex, Table: tname, Name: w.Name, Detail: "missing", SQL: []string{createIndexSQL(d, want.Schema, want.Name, &w, false)}}
		if w.Where != "" && !ddl.PartialIndex {
			c.Unsupported, c.SQL = d.Name()+" has no partial indexes", nil
		}
		adds = append(adds, c)
	}
	for _, l := range live.Indexes {
		if findIndex(want.Indexes, l.Name) == nil {
			change(DropIndex, l.Name, "not in the descriptor", dropIndexSQL(d, want, l.Name))
		}
	}
	for _, l := range live.Uniques {
		if !slices.ContainsFunc(want.Uniques, func(u Unique) bool { return slices.Equal(u.Columns, l.Columns) }) {
			c := change(DropUnique, l.Name, fmt.Sprintf("on %v, not in the descriptor", l.Columns))
			if ddl.DropUnique == "" || l.Name == "" {
				unsupported(c, rebuild)
			} else {
				c.SQL = []string{string(d.AppendIdent(append(append(alter(), ' '), ddl.DropUnique...), l.Name))}
			}
		}
	}
	for _, l := range live.ForeignKeys {
		if !slices.ContainsFunc(want.ForeignKeys, func(w ForeignKey) bool { return sameForeignKey(ddl, &w, &l) }) {
			c := change(DropForeignKey, l.Name, fmt.Sprintf("%v -> %s%v not in the descriptor", l.Columns, l.RefTable, l.RefColumns))
			if ddl.DropForeignKey == "" || l.Name == "" {
				unsupported(c, rebuild)
			} else {
				b := d.AppendIdent(append(append(alter(), ' '), ddl.DropForeignKey...), l.Name)
				if ddl.ForeignKeyIndex && !indexed(live, l.Columns) {
					b = d.AppendIdent(append(b, ", DROP INDEX "...), l.Name) // the key's own index
				}
				c.SQL = []string{string(b)}
			}
		}
	}
	for _, l := range live.Checks {
		if l.Name != "" && !impliedCheck(live, &l) && !slices.ContainsFunc(want.Checks, func(w CheckConstraint) bool { return l.Name == w.Name }) {
			c := change(DropCheck, l.Name, "not in the descriptor")
			if ddl.DropCheck == "" {
				unsupported(c, rebuild)
			} else {
				c.SQL = []string{string(d.AppendIdent(append(append(alter(), ' '), ddl.DropCheck...), l.Name))}
			}
		}
	}
	// Columns.
	for i := range want.Columns {
		w := &want.Columns[i]
		l, ok := live.Column(w.Name)
		if !ok {
			b := appendColumnDef(append(alter(), " ADD COLUMN "...), d, w)
			c := change(AddColumn, w.Name, "missing", string(b))
			if why := p.cannotAddColumn(want, w); why != "" {
				unsupported(c, why)
			}
			continue
		}
		var diffs []string
		typeDiff := !sameType(ddl, w.Type, l.Type)
		if typeDiff && !w.Identity {
			diffs = append(diffs, "type "+l.Type+" -> "+w.Type)
		}
		nullDiff := w.Nullable != l.Nullable && !w.Identity
		if nullDiff {
			diffs = append(diffs, fmt.Sprintf("nullable %v -> %v", l.Nullable, w.Nullable))
		}
		defDiff := !w.Identity && !l.Identity && !p.sameDefault(w, l)
		if defDiff {
			diffs = append(diffs, fmt.Sprintf("default %q -> %q", l.Default, w.Default))
		}
		if len(diffs) == 0 {
			continue
		}
		c := change(AlterColumn, w.Name, strings.Join(diffs, ", "))
		c.Destructive = typeDiff && narrows(ddl, l.Type, w.Type)
		switch {
		case ddl.AlterColumn == dialect.AlterColumnModify:
			c.SQL = []string{string(appendColumnDef(append(alter(), " MODIFY COLUMN "...), d, w))}
		case ddl.AlterColumn == dialect.AlterColumnClauses:
			var clauses []string
			col := string(d.AppendIdent([]byte("ALTER COLUMN "), w.Name))
			if typeDiff {
				clauses = append(clauses, col+" TYPE "+w.Type)
			}
			if nullDiff && w.Nullable {
				clauses = append(clauses, col+" DROP NOT NULL")
			} else if nullDiff {
				clauses = append(clauses, col+" SET NOT NULL")
			}
			if defDiff && w.Default == "" {
				clauses = append(clauses, col+" DROP DEFAULT")
			} else if defDiff {
				clauses = append(clauses, col+" SET DEFAULT "+w.Default)
			}
			c.SQL = []string{string(alter()) + " " + strings.Join(clauses, ", ")}
		default:
			unsupported(c, rebuild)
		}
	}
	for _, l := range live.Columns {
		if _, ok := want.Column(l.Name); !ok {
			c := change(DropColumn, l.Name, "not in the descriptor", string(d.AppendIdent(append(alter(), " DROP COLUMN "...), l.Name)))
			c.Destructive = true
			if why := p.cannotDropColumn(live, l.Name); why != "" {
				unsupported(c, why)
			}
		}
	}
	// What is new: the primary key, indexes, then constraints.
	if addPK != nil {
		out = append(out, *addPK)
	}
	out = append(out, adds...)
	for _, w := range want.Uniques {
		if !slices.ContainsFunc(live.Uniques, func(u Unique) bool { return slices.Equal(u.Columns, w.Columns) }) {
			b := append(d.AppendIdent(append(alter(), " ADD CONSTRAINT "...), w.Name), " UNIQUE ("...)
			c := change(AddUnique, w.Name, fmt.Sprintf("missing on %v", w.Columns), string(append(appendIdents(b, d, w.Columns), ')')))
			if !ddl.AddConstraint {
				unsupported(c, rebuild)
			}
		}
	}
	for _, w := range want.ForeignKeys {
		if !slices.ContainsFunc(live.ForeignKeys, func(l ForeignKey) bool { return sameForeignKey(ddl, &w, &l) }) {
			b := appendForeignKey(append(alter(), " ADD "...), d, want, &w)
			c := change(AddForeignKey, w.Name, fmt.Sprintf("%v -> %s%v missing", w.Columns, w.RefTable, w.RefColumns), string(b))
			if !ddl.AddConstraint {
				unsupported(c, rebuild)
			}
		}
	}
	// Checks, by name: their SQL comes back rewritten by the engine.
	for _, w := range want.Checks {
		if !slices.ContainsFunc(live.Checks, func(l CheckConstraint) bool { return l.Name == w.Name }) {
			b := append(d.AppendIdent(append(alter(), " ADD CONSTRAINT "...), w.Name), " CHECK ("...)
			c := change(AddCheck, w.Name, w.Expr, string(append(append(b, w.Expr...), ')')))
			if !ddl.AddConstraint {
				unsupported(c, rebuild)
			}
		}
	}
	return out
}

func dropIndexSQL(d dialect.Dialect, t *Table, name string) string {
	if d.Caps().DDL.DropIndexOnTable {
		return string(appendTableName(append(d.AppendIdent([]byte("DROP INDEX "), name), " ON "...), d, t.Schema, t.Name))
	}
	return string(appendTableName([]byte("DROP INDEX "), d, t.Schema, name))
}
