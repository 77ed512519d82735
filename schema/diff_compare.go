package schema

import (
	"slices"
	"strings"

	"github.com/typedsql/typedsql/dialect"
)

// indexed reports whether an index, a unique constraint or the primary key of t starts with
// columns.
func indexed(t *Table, columns []string) bool {
	prefix := func(cols []string) bool {
		return len(cols) >= len(columns) && slices.Equal(cols[:len(columns)], columns)
	}
	if prefix(t.PrimaryKey) || slices.ContainsFunc(t.Uniques, func(u Unique) bool { return prefix(u.Columns) }) {
		return true
	}
	return slices.ContainsFunc(t.Indexes, func(ix Index) bool {
		cols := make([]string, len(ix.Keys))
		for i, k := range ix.Keys {
			cols[i] = k.Column
		}
		return prefix(cols)
	})
}

// mentions reports whether an SQL expression names the identifier name as a word (quoted or
// not), case-insensitively.
func mentions(expr, name string) bool {
	e, n := strings.ToLower(expr), strings.ToLower(name)
	for i := 0; ; {
		j := strings.Index(e[i:], n)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(n)
		if (j == 0 || !isIdentByte(e[j-1])) && (end == len(e) || !isIdentByte(e[end])) {
			return true
		}
		i = j + 1
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

// sameDefault compares a column's defaults: by text where both come from the catalog (Alter);
// else whether each has one and, when both are literals or the current time, by their normal
// form (normDefault: 'new'::text is 'new', TRUE is 1). Two expressions are not compared: the
// engines rewrite them.
func (p planner) sameDefault(w, l *Column) bool {
	if p.exactDefaults {
		return w.Default == l.Default
	}
	if w.Default == "" || l.Default == "" {
		return w.Default == l.Default
	}
	nw, okw := normDefault(w.Default)
	nl, okl := normDefault(l.Default)
	return !okw || !okl || nw == nl
}

func findIndex(ixs []Index, name string) *Index {
	for i := range ixs {
		if ixs[i].Name == name {
			return &ixs[i]
		}
	}
	return nil
}

// sameIndex compares what an index covers; expressions and predicates come back rewritten by
// the engine, so only whether there is one counts.
func sameIndex(a, b *Index) bool {
	if a.Unique != b.Unique || (a.Where == "") != (b.Where == "") || len(a.Keys) != len(b.Keys) {
		return false
	}
	for i := range a.Keys {
		if a.Keys[i].Column != b.Keys[i].Column {
			return false
		}
	}
	return true
}

func sameForeignKey(ddl dialect.DDLTypes, a, b *ForeignKey) bool {
	act := func(x Action) Action {
		if ddl.RestrictIsNoAction && x == Restrict {
			return NoAction
		}
		return x
	}
	return slices.Equal(a.Columns, b.Columns) && a.RefSchema == b.RefSchema && a.RefTable == b.RefTable &&
		slices.Equal(a.RefColumns, b.RefColumns) && act(a.OnDelete) == act(b.OnDelete) && act(a.OnUpdate) == act(b.OnUpdate)
}

// sameType reports whether two spellings name one type: the same family, integer width and
// length ("BIGINT" and "bigint(20)", "VARCHAR(200)" and "character varying(200)").
func sameType(ddl dialect.DDLTypes, a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	fa, fb := typeFamily(a), typeFamily(b)
	if jsonAsText(a, fa, b, fb) || jsonAsText(b, fb, a, fa) {
		return true
	}
	if fa != fb || fa == famOther {
		return false
	}
	if fa == famInt && intBits(a, ddl.IntegerBits) != intBits(b, ddl.IntegerBits) {
		return false
	}
	return typeLength(a) == typeLength(b)
}

// narrows reports whether changing a column from type from to type to can lose values: another
// family, fewer integer bits, a shorter length.
func narrows(ddl dialect.DDLTypes, from, to string) bool {
	ff, ft := typeFamily(from), typeFamily(to)
	if ff != ft {
		return true
	}
	if ff == famInt && intBits(to, ddl.IntegerBits) < intBits(from, ddl.IntegerBits) {
		return true
	}
	lf, lt := typeLength(from), typeLength(to)
	return lt > 0 && (lf == 0 || lt < lf)
}

// jsonAsText reports JSON kept as LONGTEXT, which is what MariaDB's JSON is.
func jsonAsText(a string, fa family, b string, fb family) bool {
	w, _ := baseType(b)
	return fa == famJSON && fb == famText && w == "longtext"
}

// impliedCheck reports a check the engine added on its own: MariaDB's json_valid(column) on a
// JSON column, named after the column.
func impliedCheck(t *Table, c *CheckConstraint) bool {
	_, isCol := t.Column(c.Name)
	return isCol && strings.HasPrefix(strings.ToLower(c.Expr), "json_valid(")
}
