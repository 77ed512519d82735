package expr

import (
	"strconv"
	"strings"
)

// raw is an SQL fragment with ? placeholders for bound arguments.
type raw struct {
	sql  string
	args []any
}

// Raw is the explicit escape hatch: an SQL fragment whose type the caller asserts. Each ? in
// sql stands for the next of args: an expression (a column, an Expr, a Cond) is written in its
// place, any other value is bound as an argument ($n or ? per dialect); ?? writes a literal ?.
// The text is trusted: never build it from user input — pass user values as args. On
// PostgreSQL, cast a bound argument whose type the context does not fix.
//
//	expr.Raw[int64]("EXTRACT(YEAR FROM ?)", o.CreatedAt)   // EXTRACT(YEAR FROM "o"."created_at")
//	expr.Raw[bool]("? @> ?::jsonb", o.Meta, `{"a":1}`)      // "o"."meta" @> $1::jsonb
func Raw[T any](sql string, args ...any) Expr[T] {
	return newExpr[T](raw{sql, args})
}

// RawCond is Raw for a condition: expr.RawCond("age(?) > interval '1 year'", t).
func RawCond(sql string, args ...any) Cond {
	return Cond{op: opRaw, r: node{x: &raw{sql, args}}}
}

func (r *raw) writeNode(w *Writer) {
	n := 0
	s := r.sql
	for {
		i := strings.IndexByte(s, '?')
		if i < 0 {
			w.Text(s)
			break
		}
		w.Text(s[:i])
		if i+1 < len(s) && s[i+1] == '?' {
			w.Char('?')
			s = s[i+2:]
			continue
		}
		if n >= len(r.args) {
			w.Fail(ErrInvalid, "raw SQL has more ? placeholders than arguments ("+strconv.Itoa(len(r.args))+")")
			return
		}
		if e, ok := r.args[n].(Expression); ok {
			exprNode(e).write(w)
		} else {
			w.Arg(r.args[n])
		}
		n++
		s = s[i+1:]
	}
	if n != len(r.args) {
		w.Fail(ErrInvalid, "raw SQL has "+strconv.Itoa(n)+" ? placeholders but "+strconv.Itoa(len(r.args))+" arguments")
	}
}
