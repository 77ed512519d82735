package schema

import (
	"context"
	"slices"
	"strings"

	"github.com/typedsql/typedsql/conn"
)

// The table-valued PRAGMA functions take the table and the schema as arguments: ?1 the table,
// ?2 the schema (main unless given).
const sqliteColumns = `SELECT name, type, "notnull" = 0 AS nullable, COALESCE(dflt_value, '') AS def,
	pk, hidden FROM pragma_table_xinfo(?1, ?2) ORDER BY cid`

const sqliteIndexes = `SELECT il.name AS name, il.origin AS origin, il."unique" AS uniq,
	COALESCE(ii.name, '') AS col, ii.cid AS cid
FROM pragma_index_list(?1, ?2) il JOIN pragma_index_xinfo(il.name, ?2) ii
WHERE ii.key = 1 AND il.origin <> 'pk' ORDER BY il.name, ii.seqno`

const sqliteForeignKeys = `SELECT id, "table" AS ref_table, "from" AS col, COALESCE("to", '') AS ref_col,
	on_delete, on_update FROM pragma_foreign_key_list(?1, ?2) ORDER BY id, seq`

type sqliteColumn struct {
	Name     string `db:"name"`
	Type     string `db:"type"`
	Nullable bool   `db:"nullable"`
	Default  string `db:"def"`
	PK       int    `db:"pk"`
	Hidden   int    `db:"hidden"`
}

type sqliteIndexCol struct {
	Name   string `db:"name"`
	Origin string `db:"origin"`
	Unique bool   `db:"uniq"`
	Column string `db:"col"`
	CID    int    `db:"cid"`
}

type sqliteFK struct {
	ID       int    `db:"id"`
	RefTable string `db:"ref_table"`
	Column   string `db:"col"`
	RefCol   string `db:"ref_col"`
	OnDelete string `db:"on_delete"`
	OnUpdate string `db:"on_update"`
}

type sqliteSQL struct {
	Name string `db:"name"`
	SQL  string `db:"sql"`
}

func inspectSQLite(ctx context.Context, db *conn.DB, schema, name string) (Table, error) {
	s := schema
	if s == "" {
		s = "main"
	}
	cols, err := conn.All[sqliteColumn](ctx, db, conn.SQL(sqliteColumns), name, s)
	if err != nil {
		return Table{}, err
	}
	if len(cols) == 0 {
		return Table{}, noTable(schema, name)
	}
	t := Table{Name: name}
	pk := map[int]string{}
	for _, c := range cols {
		if c.Hidden == 1 { // a virtual table's hidden column
			continue
		}
		t.Columns = append(t.Columns, Column{Name: c.Name, Type: c.Type, Nullable: c.Nullable,
			Default: c.Default, Length: typeLength(c.Type)})
		if c.PK > 0 {
			pk[c.PK] = c.Name
		}
	}
	for i := 1; i <= len(pk); i++ {
		t.PrimaryKey = append(t.PrimaryKey, pk[i])
	}
	if len(t.PrimaryKey) == 1 {
		// A lone INTEGER primary key is the rowid: it numbers new rows itself.
		// It never holds NULL, although table_xinfo reports no NOT NULL on it.
		if c, _ := t.Column(t.PrimaryKey[0]); strings.EqualFold(c.Type, "INTEGER") {
			c.Identity, c.Nullable = true, false
		}
	}
	schemaTable := string(db.Dialect().AppendIdent(nil, s)) + ".sqlite_schema"
	defs, err := conn.All[sqliteSQL](ctx, db, conn.SQL(`SELECT name, sql FROM `+schemaTable+
		` WHERE tbl_name = ?1 AND type IN ('table', 'index') AND sql IS NOT NULL`), name)
	if err != nil {
		return Table{}, err
	}
	sqlOf := map[string]string{}
	for _, d := range defs {
		sqlOf[d.Name] = d.SQL
	}
	ixcols, err := conn.All[sqliteIndexCol](ctx, db, conn.SQL(sqliteIndexes), name, s)
	if err != nil {
		return Table{}, err
	}
	for i := 0; i < len(ixcols); {
		j := i
		for j < len(ixcols) && ixcols[j].Name == ixcols[i].Name {
			j++
		}
		group := ixcols[i:j]
		if group[0].Origin == "u" { // a UNIQUE constraint: SQLite keeps no name for it
			u := Unique{}
			for _, g := range group {
				u.Columns = append(u.Columns, g.Column)
			}
			t.Uniques = append(t.Uniques, u)
		} else {
			exprs, where := parseIndexSQL(sqlOf[group[0].Name])
			ix := Index{Name: group[0].Name, Unique: group[0].Unique, Where: where}
			for k, g := range group {
				if g.CID >= 0 || k >= len(exprs) {
					ix.Keys = append(ix.Keys, IndexKey{Column: g.Column})
				} else {
					ix.Keys = append(ix.Keys, IndexKey{Expr: strings.TrimSpace(exprs[k])})
				}
			}
			t.Indexes = append(t.Indexes, ix)
		}
		i = j
	}
	fks, err := conn.All[sqliteFK](ctx, db, conn.SQL(sqliteForeignKeys), name, s)
	if err != nil {
		return Table{}, err
	}
	for i := 0; i < len(fks); {
		j := i
		fk := ForeignKey{RefTable: fks[i].RefTable, OnDelete: actionOf(fks[i].OnDelete), OnUpdate: actionOf(fks[i].OnUpdate)}
		for ; j < len(fks) && fks[j].ID == fks[i].ID; j++ {
			fk.Columns = append(fk.Columns, fks[j].Column)
			fk.RefColumns = append(fk.RefColumns, fks[j].RefCol)
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
		i = j
	}
	for _, c := range parseChecks(sqlOf[name]) {
		t.Checks = append(t.Checks, c)
	}
	// SQLite lists foreign keys last declared first; keep declaration order.
	slices.Reverse(t.ForeignKeys)
	sortByName(&t)
	return t, nil
}

// sqlToken is one token of SQL text: a word, a quoted name or string, or one punctuation
// character; depth is the parenthesis depth it starts at.
type sqlToken struct {
	text       string
	start, end int
	depth      int
}

// tokenize splits SQL into tokens, keeping quoted names and strings whole.
func tokenize(s string) []sqlToken {
	var out []sqlToken
	depth := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"' || c == '`' || c == '[':
			end := c
			if c == '[' {
				end = ']'
			}
			j := i + 1
			for j < len(s) {
				if s[j] == end {
					if j+1 < len(s) && s[j+1] == end && end != ']' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			out = append(out, sqlToken{s[i:min(j+1, len(s))], i, min(j+1, len(s)), depth})
			i = j + 1
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			out = append(out, sqlToken{s[i:j], i, j, depth})
			i = j
		default:
			if c == ')' {
				depth--
			}
			out = append(out, sqlToken{s[i : i+1], i, i + 1, depth})
			if c == '(' {
				depth++
			}
			i++
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// unquoteName reads a name token: "a""b" -> a"b.
func unquoteName(tok string) string {
	if len(tok) >= 2 {
		switch q := tok[0]; q {
		case '"', '`', '\'':
			return strings.ReplaceAll(tok[1:len(tok)-1], string([]byte{q, q}), string(q))
		case '[':
			return tok[1 : len(tok)-1]
		}
	}
	return tok
}

// group returns the text inside the parentheses that open at toks[i] and the index of the
// token after the closing one.
func group(s string, toks []sqlToken, i int) (string, int) {
	d := toks[i].depth
	for j := i + 1; j < len(toks); j++ {
		if toks[j].text == ")" && toks[j].depth == d {
			return s[toks[i].end:toks[j].start], j + 1
		}
	}
	return s[toks[i].end:], len(toks)
}

// parseIndexSQL reads the keys and the WHERE predicate of CREATE INDEX ... ON t (keys) WHERE p.
func parseIndexSQL(s string) (keys []string, where string) {
	toks := tokenize(s)
	for i, tk := range toks {
		if tk.depth == 0 && tk.text == "(" {
			inner, next := group(s, toks, i)
			keys = splitTopLevel(inner)
			for k := next; k < len(toks); k++ {
				if strings.EqualFold(toks[k].text, "WHERE") && toks[k].depth == 0 {
					where = strings.TrimSpace(s[toks[k].end:])
					break
				}
			}
			return keys, where
		}
	}
	return nil, ""
}

// splitTopLevel splits s at the commas outside parentheses and quotes.
func splitTopLevel(s string) []string {
	var out []string
	last := 0
	for _, tk := range tokenize(s) {
		if tk.text == "," && tk.depth == 0 {
			out = append(out, strings.TrimSpace(s[last:tk.start]))
			last = tk.end
		}
	}
	return append(out, strings.TrimSpace(s[last:]))
}

// parseChecks finds the CHECK constraints of a CREATE TABLE statement, named when CONSTRAINT
// name precedes them.
func parseChecks(s string) []CheckConstraint {
	toks := tokenize(s)
	var out []CheckConstraint
	for i := 0; i+1 < len(toks); i++ {
		if !strings.EqualFold(toks[i].text, "CHECK") || toks[i+1].text != "(" || toks[i].depth != 1 {
			continue
		}
		inner, _ := group(s, toks, i+1)
		c := CheckConstraint{Expr: strings.TrimSpace(inner)}
		if i >= 2 && strings.EqualFold(toks[i-2].text, "CONSTRAINT") {
			c.Name = unquoteName(toks[i-1].text)
		}
		out = append(out, c)
	}
	return out
}
