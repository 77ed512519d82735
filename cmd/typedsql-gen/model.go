package main

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
)

// genTable is one table or view as the generated code declares it.
type genTable struct {
	Table    schema.Table
	View     bool
	Qualify  bool   // the descriptor names its schema (expr.InSchema)
	Var      string // Users: the descriptor variable
	Type     string // UsersTable: the descriptor struct
	Row      string // UsersRow: the row struct
	TableTag string // the schema tag of the embedded expr.Table
	Fields   []genField
	Refs     []genRef
}

// genField is one column: a field of the descriptor and of the row struct.
type genField struct {
	Name     string
	Column   string
	Nullable bool
	Type     goType
	Schema   string // the schema tag's items, "" for none
}

// genRef is a foreign key as a join condition: a method of the referencing table's descriptor
// taking the referenced table's descriptor.
type genRef struct {
	Method    string
	Target    *genTable
	FK        schema.ForeignKey
	Pairs     [][2]string // field of this table, field of the target
	TypesDiff string      // why no method is generated: the columns' Go types differ
}

// reservedFields are the names a column's field cannot take in a descriptor: the embedded
// expr.Table and its exported methods (a field would hide them), and the generated Columns
// method. The methods are read from expr.Table itself, so the list follows its API.
var reservedFields = func() []string {
	names := []string{"Table", "Columns"}
	t := reflect.TypeFor[*expr.Table]() // the pointer's method set holds the value's too
	for i := range t.NumMethod() {
		names = append(names, t.Method(i).Name)
	}
	return names
}()

// warner collects the warnings of one run, each naming what it is about.
type warner struct{ list []string }

func (w *warner) add(format string, args ...any) {
	w.list = append(w.list, fmt.Sprintf(format, args...))
}

// buildTable turns one inspected table into its generated form: Go names (with documented
// disambiguation of collisions), Go types, and the schema tags that let schema.Create make the
// table again.
func buildTable(ddl dialect.DDLTypes, t schema.Table, view bool, cfg *genConfig, n namer, w *warner) genTable {
	g := genTable{Table: t, View: view, Var: n.GoName(t.Name)}
	g.Type, g.Row = g.Var+"Table", g.Var+"Row"
	where := func(col string) string {
		if col == "" {
			return "table " + t.QualifiedName()
		}
		return "table " + t.QualifiedName() + ", column " + col
	}
	var tableItems []string
	if view { // a view's catalog entries (MySQL's comment "VIEW") are no table's tags
		t.Comment, t.Checks = "", nil
	}
	if t.Comment != "" {
		tableItems = appendItem(tableItems, "comment", t.Comment, where(""), w)
	}
	for _, c := range t.Checks {
		tableItems = appendItem(tableItems, "check", c.Expr, where("")+", check "+c.Name, w)
	}
	g.TableTag = strings.Join(tableItems, ";")

	// Go names: a collision after conversion (user_id, userId) or with a reserved name gets a
	// number (UserID2) or the suffix Col (TableCol), with a warning.
	taken := map[string]string{}
	for _, r := range reservedFields {
		taken[r] = "(reserved)"
	}
	soleIdentity := len(t.PrimaryKey) == 1
	for _, c := range t.Columns {
		name := n.GoName(c.Name)
		if taken[name] == "(reserved)" {
			w.add("%s: Go name %s is reserved in a descriptor (expr.Table's fields and methods): the field is %sCol", where(c.Name), name, name)
			name += "Col"
		}
		if other, ok := taken[name]; ok {
			base := name
			for i := 2; ok; i++ {
				name = base + strconv.Itoa(i)
				_, ok = taken[name]
			}
			w.add("%s: Go name %s is taken by column %s: the field is %s", where(c.Name), base, other, name)
		}
		taken[name] = c.Name

		key := slices.Contains(t.PrimaryKey, c.Name) || inUniques(t, c.Name) || inIndexes(t, c.Name) || inFKs(t, c.Name)
		var over *goType
		if gt, ok := cfg.override(t, c); ok {
			over = &gt
		}
		gt, typeItem, size, warn := columnType(ddl, c, key, over)
		if warn != "" {
			w.add("%s: %s", where(c.Name), warn)
		}
		f := genField{Name: name, Column: c.Name, Nullable: c.Nullable, Type: gt}
		if !view {
			f.Schema = strings.Join(columnItems(t, c, soleIdentity, typeItem, size, where(c.Name), w), ";")
		}
		g.Fields = append(g.Fields, f)
	}
	if !view {
		for _, ix := range t.Indexes {
			if !plainIndex(ix) {
				w.add("%s: index %s (expression or partial) has no schema tag form: left out of the descriptor", where(""), ix.Name)
			}
		}
	}
	return g
}

// appendItem adds key=value to a schema tag's items, unless the value holds ';', which ends
// an item: that is left out with a warning.
func appendItem(items []string, key, value, where string, w *warner) []string {
	if strings.Contains(value, ";") {
		w.add("%s: %s %q holds ';', which a schema tag cannot: left out of the descriptor", where, key, value)
		return items
	}
	return append(items, key+"="+value)
}

// columnItems is the schema tag of one column.
func columnItems(t schema.Table, c schema.Column, soleKey bool, typeItem string, size int, where string, w *warner) []string {
	var items []string
	identity := c.Identity || strings.HasPrefix(c.Default, "nextval(") // PostgreSQL's serial
	inPK := slices.Contains(t.PrimaryKey, c.Name)
	switch {
	case identity && inPK && soleKey:
		items = append(items, "identity")
	case inPK:
		items = append(items, "pk")
		identity = false
	default:
		identity = false
	}
	if typeItem != "" && !identity {
		items = appendItem(items, "type", typeItem, where, w)
	}
	if size > 0 {
		items = append(items, "size="+strconv.Itoa(size))
	}
	for _, u := range t.Uniques {
		if slices.Contains(u.Columns, c.Name) {
			items = append(items, ownName("unique", "uq_", t.Name, c.Name, u.Name, u.Columns))
		}
	}
	for _, ix := range t.Indexes {
		if !plainIndex(ix) || !slices.ContainsFunc(ix.Keys, func(k schema.IndexKey) bool { return k.Column == c.Name }) {
			continue
		}
		cols := make([]string, len(ix.Keys))
		for i, k := range ix.Keys {
			cols[i] = k.Column
		}
		if ix.Unique { // a unique index: the tag's unique constraint is its counterpart
			items = append(items, ownName("unique", "uq_", t.Name, c.Name, ix.Name, cols))
		} else {
			items = append(items, ownName("index", "ix_", t.Name, c.Name, ix.Name, cols))
		}
	}
	if c.Default != "" && !identity {
		items = appendItem(items, "default", c.Default, where, w)
	}
	for _, fk := range t.ForeignKeys {
		if !slices.Contains(fk.Columns, c.Name) {
			continue
		}
		if len(fk.Columns) > 1 {
			if fk.Columns[0] == c.Name {
				w.add("%s: composite foreign key %s (%s) -> %s(%s): schema tags hold single-column references, so the descriptor leaves it out; the generated join helper covers it",
					where, fk.Name, strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "))
			}
			continue
		}
		ref := fk.RefTable
		if fk.RefSchema != "" { // "" is the table's own schema, in the model as in the tag
			ref = fk.RefSchema + "." + ref
		}
		items = append(items, "references="+ref+"("+fk.RefColumns[0]+")")
		if fk.OnDelete != schema.NoAction {
			items = append(items, "ondelete="+strings.ToLower(string(fk.OnDelete)))
		}
		if fk.OnUpdate != schema.NoAction {
			items = append(items, "onupdate="+strings.ToLower(string(fk.OnUpdate)))
		}
	}
	if c.Comment != "" {
		items = appendItem(items, "comment", c.Comment, where, w)
	}
	return items
}

// ownName is "unique" or "index" alone when the constraint has the name the tag gives a
// one-column one (uq_<table>_<column>), else word=name.
func ownName(word, prefix, table, col, name string, cols []string) string {
	if name == "" { // SQLite keeps no constraint names: the tag's own, or one made from the columns
		if len(cols) == 1 {
			return word
		}
		name = prefix + table + "_" + strings.Join(cols, "_")
	}
	if len(cols) == 1 && name == prefix+table+"_"+col {
		return word
	}
	return word + "=" + name
}

// plainIndex reports an index of columns only, with no predicate: what a tag can declare.
func plainIndex(ix schema.Index) bool {
	if ix.Where != "" {
		return false
	}
	for _, k := range ix.Keys {
		if k.Column == "" {
			return false
		}
	}
	return true
}

func inUniques(t schema.Table, col string) bool {
	return slices.ContainsFunc(t.Uniques, func(u schema.Unique) bool { return slices.Contains(u.Columns, col) })
}

func inIndexes(t schema.Table, col string) bool {
	return slices.ContainsFunc(t.Indexes, func(ix schema.Index) bool {
		return slices.ContainsFunc(ix.Keys, func(k schema.IndexKey) bool { return k.Column == col })
	})
}

func inFKs(t schema.Table, col string) bool {
	return slices.ContainsFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return slices.Contains(fk.Columns, col) })
}

// field is the generated field of column col.
func (g *genTable) field(col string) *genField {
	for i := range g.Fields {
		if g.Fields[i].Column == col {
			return &g.Fields[i]
		}
	}
	return nil
}

// linkRefs makes the join helpers of every foreign key whose target is generated too:
// RefUsers, or RefUsersByAuthorID when the table has several keys to users.
func linkRefs(tables []*genTable) {
	byName := map[string]*genTable{}
	for _, g := range tables {
		byName[g.Table.Schema+"."+g.Table.Name] = g
	}
	for _, g := range tables {
		count := map[string]int{}
		for _, fk := range g.Table.ForeignKeys {
			count[fk.RefSchema+"."+fk.RefTable]++
		}
		names := map[string]bool{}
		for _, f := range g.Fields {
			names[f.Name] = true
		}
		for _, r := range reservedFields {
			names[r] = true
		}
		for _, fk := range g.Table.ForeignKeys {
			s := fk.RefSchema
			if s == "" {
				s = g.Table.Schema
			}
			target := byName[s+"."+fk.RefTable]
			if target == nil {
				continue
			}
			r := genRef{Target: target, FK: fk, Method: "Ref" + target.Var}
			if count[fk.RefSchema+"."+fk.RefTable] > 1 {
				r.Method += "By"
				for _, c := range fk.Columns {
					r.Method += g.field(c).Name
				}
			}
			for names[r.Method] {
				r.Method += "Ref"
			}
			names[r.Method] = true
			for i, c := range fk.Columns {
				from, to := g.field(c), target.field(fk.RefColumns[i])
				if from == nil || to == nil {
					r.TypesDiff = "a column is not generated"
					break
				}
				if from.Type != to.Type {
					r.TypesDiff = fmt.Sprintf("%s is %s, %s.%s is %s", from.Column, from.Type.Name, target.Table.Name, to.Column, to.Type.Name)
				}
				r.Pairs = append(r.Pairs, [2]string{from.Name, to.Name})
			}
			g.Refs = append(g.Refs, r)
		}
	}
}
