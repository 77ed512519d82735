package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// colTag is what a column's `schema` tag declares (see the package documentation).
type colTag struct {
	pk, identity, json bool
	unique, index      []string // constraint / index names; "" for the column's own
	def                string
	hasDefault         bool
	ref                *tagRef
	onDelete, onUpdate Action
	checks             []string
	typ                string
	size               int
	comment            string
}

type tagRef struct{ schema, table, column string }

// tableTag is what the `schema` tag on the embedded expr.Table declares.
type tableTag struct {
	checks  []string
	comment string
}

// splitTag cuts a tag into its items at ';'. An item is a word ("pk") or word=value; the value
// runs to the next ';', so it may hold '=', ',' and parentheses but not ';'.
func splitTag(tag string) [][2]string {
	var out [][2]string
	for item := range strings.SplitSeq(tag, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, _ := strings.Cut(item, "=")
		out = append(out, [2]string{strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)})
	}
	return out
}

func parseColTag(tag string) (colTag, error) {
	var c colTag
	for _, kv := range splitTag(tag) {
		k, v := kv[0], kv[1]
		needs := func() error {
			if v == "" {
				return fmt.Errorf("%q needs a value (%s=...)", k, k)
			}
			return nil
		}
		switch k {
		case "pk":
			c.pk = true
		case "identity", "autoincrement":
			c.identity = true
		case "json":
			c.json = true
		case "unique":
			c.unique = append(c.unique, v)
		case "index":
			c.index = append(c.index, v)
		case "default":
			c.def, c.hasDefault = v, true
			if err := needs(); err != nil {
				return c, err
			}
		case "references":
			if err := needs(); err != nil {
				return c, err
			}
			r, err := parseRef(v)
			if err != nil {
				return c, err
			}
			c.ref = &r
		case "ondelete", "onupdate":
			a, err := parseAction(v)
			if err != nil {
				return c, fmt.Errorf("%s: %w", k, err)
			}
			if k == "ondelete" {
				c.onDelete = a
			} else {
				c.onUpdate = a
			}
		case "check":
			if err := needs(); err != nil {
				return c, err
			}
			c.checks = append(c.checks, v)
		case "type":
			if err := needs(); err != nil {
				return c, err
			}
			c.typ = v
		case "size":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return c, fmt.Errorf("size=%q: want a positive number of characters", v)
			}
			c.size = n
		case "comment":
			c.comment = v
		default:
			return c, fmt.Errorf("unknown item %q (known: pk, identity, unique, index, default=, references=, ondelete=, onupdate=, check=, type=, size=, json, comment=)", k)
		}
	}
	if (c.onDelete != "" || c.onUpdate != "") && c.ref == nil {
		return c, fmt.Errorf("ondelete/onupdate without references=")
	}
	return c, nil
}

func parseTableTag(tag string) (tableTag, error) {
	var t tableTag
	for _, kv := range splitTag(tag) {
		switch kv[0] {
		case "check":
			if kv[1] == "" {
				return t, fmt.Errorf(`"check" needs a value (check=...)`)
			}
			t.checks = append(t.checks, kv[1])
		case "comment":
			t.comment = kv[1]
		default:
			return t, fmt.Errorf("unknown table item %q (known: check=, comment=)", kv[0])
		}
	}
	return t, nil
}

// parseRef reads table(column) or schema.table(column).
func parseRef(s string) (tagRef, error) {
	open := strings.IndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") {
		return tagRef{}, fmt.Errorf("references=%q: want table(column) or schema.table(column)", s)
	}
	r := tagRef{table: strings.TrimSpace(s[:open]), column: strings.TrimSpace(s[open+1 : len(s)-1])}
	if i := strings.LastIndexByte(r.table, '.'); i >= 0 {
		r.schema, r.table = r.table[:i], r.table[i+1:]
	}
	if r.table == "" || r.column == "" || strings.ContainsAny(r.column, "(),") {
		return tagRef{}, fmt.Errorf("references=%q: want table(column) or schema.table(column)", s)
	}
	return r, nil
}

func parseAction(s string) (Action, error) {
	switch a := Action(strings.ToUpper(strings.Join(strings.Fields(s), " "))); a {
	case "NO ACTION":
		return NoAction, nil
	case Restrict, Cascade, SetNull, SetDefault:
		return a, nil
	}
	return "", fmt.Errorf("%q is not cascade, restrict, set null, set default or no action", s)
}
