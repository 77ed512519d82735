//go:build ignore

// The walks of the parts a statement's shape describes: select items, sources, conditions,
// ORDER BY items and assignments. Each is written once here, with the shape k and the writer
// w; walkgen writes from each the function that computes the shape only (name + "Key") and
// the one that writes only (name + "SQL"), into walk_gen.go: see internal/walkgen for the
// rules. So the words of a part and its text come from the same lines, reading the same
// fields, and are put in the same order (the arguments are gathered in placeholder order).

package expr

import "time"

// WalkExprs walks a list of select items, GROUP BY expressions or RETURNING columns, written
// separated by commas. The list's length is the caller's to put, in a word of its own or
// packed in another (a SELECT's first word holds the lengths of all its lists).
//
// The columns of the commonest Go types are matched as concrete types, a few comparisons of
// the type word, in the loop: cheaper than the assertion to shaped and the call through it
// (callgrind, BenchmarkRender warm, instructions per build+render: Q1 1692 -> 1653, Q2 4048
// -> 3984 with the match in a function of its own, then 1548 -> 1490 and 4076 -> 3993 with
// it here), and for the text than a call of the column's WriteSQL through the interface.
// Any other item takes walkItem.
func (plumbing) WalkExprs(k *Shape, w *Writer, xs []Expression) {
	for i, x := range xs {
		if w != nil && i > 0 {
			w.Text(", ")
		}
		var c *column
		switch x := x.(type) {
		case Column[int64]:
			c = x.c
		case Column[int32]:
			c = x.c
		case Column[int]:
			c = x.c
		case Column[string]:
			c = x.c
		case Column[bool]:
			c = x.c
		case Column[float64]:
			c = x.c
		case Column[time.Time]:
			c = x.c
		case Column[[]byte]:
			c = x.c
		case Nullable[int64]:
			c = x.c
		case Nullable[int32]:
			c = x.c
		case Nullable[string]:
			c = x.c
		case Nullable[bool]:
			c = x.c
		case Nullable[float64]:
			c = x.c
		case Nullable[time.Time]:
			c = x.c
		case Expr[int64]: // COUNT(...): its word without the assertion to shaped
			k.part(x.node().shapeWord())
			x.node().write(w)
			continue
		default:
			walkItem(k, w, x)
			continue
		}
		k.part(c.shapeWord())
		if r := w.columnRun(c); r == nil || !w.tryRun(r) {
			w.column(c)
		}
	}
}

// walkItem walks a list item that is not a column of the commonest types nor an Expr[int64]:
// a column of another type (one word), any other expression (no shape).
func walkItem(k *Shape, w *Writer, x Expression) {
	if w == nil {
		var word uint32
		if x, ok := x.(shaped); ok {
			word = x.shapeWord()
		}
		k.part(word)
		return
	}
	if x == nil {
		w.Fail(ErrInvalid, "nil expression in list")
		return
	}
	x.WriteSQL(w)
}

// WalkSource walks a FROM or JOIN source: a table, whose identity is its word.
func (plumbing) WalkSource(k *Shape, w *Writer, s Source) {
	if s == nil {
		w.Fail(ErrInvalid, "nil source")
		return
	}
	k.part(s.shapeWord())
	s.writeSource(w)
}

// WalkConds walks conditions joined by AND, as WHERE, HAVING and ON take them; the caller
// puts their number.
//
// A comparison of a column or an aggregate with a value, a column or an aggregate, the
// commonest condition, is walked here, without the call to walkCond: the left operand's
// word, then the operator's with the kind of the right operand (partArg: a value, gathered;
// partOp: the right operand's word follows). That is a word fewer for a value than
// walkCond's form (callgrind, BenchmarkRender warm, instructions per build+render: Q1 1362
// -> 1368, Q2 3802 -> 3662; 1389 and 3761 with this in a function of its own; the column
// matched before the general shapeWord, Q2 3721 -> 3662). A condition's first word tells
// the two forms apart: here a column's or aggregate's, in walkCond an operator's.
func (plumbing) WalkConds(k *Shape, w *Writer, cs []Cond) {
	for i := range cs {
		c := &cs[i]
		if w != nil && i > 0 {
			w.Text(" AND ")
		}
		if c.op-opEq <= opGe-opEq || c.op-opLike <= opNotILike-opLike {
			if w != nil {
				w.comparison(c)
				continue
			}
			var l uint32
			if col, ok := c.l.x.(*column); ok {
				l = col.shapeWord()
			} else {
				l = c.l.shapeWord()
			}
			if l != 0 {
				if c.rval {
					k.put2(l, uint32(c.op)<<partBits|partArg)
					k.gather(c.r.x)
					continue
				}
				if r := c.r.shapeWord(); r != 0 {
					k.put2(l, uint32(c.op)<<partBits|partOp)
					k.put(r)
					continue
				}
			}
		}
		walkCond(k, w, c)
	}
}

// walkCond walks c, starting with its operator's word, where WalkConds did not take it in its
// shorter form.
func walkCond(k *Shape, w *Writer, c *Cond) {
	k.put(uint32(c.op)<<partBits | partOp)
	switch c.op {
	case opEq, opNe, opLt, opLe, opGt, opGe, opLike, opNotLike, opILike, opNotILike:
		k.operand(c.l)
		if w == nil {
			if c.rval {
				k.arg(c.r.x)
			} else {
				k.operand(c.r)
			}
		}
		w.comparison(c)
	case opIn, opNotIn:
		l, _ := c.r.x.(valueList)
		if w == nil {
			n := 0
			if l != nil {
				n = l.size()
			}
			if n == 0 || n > shapeArgs-k.nargs {
				// Empty: an error to render, which the writer reports. Too long to keep:
				// leave it to the writer before boxing values only to drop them.
				k.bad = true
				return
			}
			k.operand(c.l)
			k.Word(uint64(n))
			for i := range n {
				k.arg(l.at(i))
			}
			return
		}
		c.writeIn(w, l)
	case opBetween, opNotBetween:
		b := c.r.x.(*bounds)
		k.operand(c.l)
		c.l.write(w)
		w.Text(opText[c.op])
		k.operand(b.lo)
		b.lo.write(w)
		w.Text(" AND ")
		k.operand(b.hi)
		b.hi.write(w)
	case opIsNull, opIsNotNull:
		k.operand(c.l)
		c.l.write(w)
		w.Text(opText[c.op])
	case opTruth:
		k.operand(c.l)
		c.l.write(w)
	case opAnd, opOr:
		cs := c.r.x.(condList)
		k.count(len(cs))
		if w == nil {
			Plumbing.WalkConds(k, w, cs)
			return
		}
		if len(cs) == 0 {
			if c.op == opAnd {
				w.Text("TRUE")
			} else {
				w.Text("FALSE")
			}
			return
		}
		sep := " AND "
		if c.op == opOr {
			sep = " OR "
		}
		w.Char('(')
		for i := range cs {
			if i > 0 {
				w.Text(sep)
			}
			walkCond(k, w, &cs[i])
		}
		w.Char(')')
	case opNot:
		if w == nil {
			Plumbing.WalkConds(k, w, c.r.x.(condList)[:1])
			return
		}
		w.Text("NOT (")
		walkCond(k, w, &c.r.x.(condList)[0])
		w.Char(')')
	default: // EqAny, subqueries, Raw, the zero Cond
		k.bad = true
		c.writeOther(w)
	}
}

// WalkOrders walks ORDER BY items, written separated by commas; the caller puts their number.
func (plumbing) WalkOrders(k *Shape, w *Writer, os []Order) {
	for i := range os {
		if w != nil && i > 0 {
			w.Text(", ")
		}
		walkOrder(k, w, &os[i])
	}
}

// walkOrder walks an ORDER BY item: its expression's word, and one for its direction and
// NULLS placement. (On MySQL, which lacks NULLS FIRST and LAST, the placement is written as a
// test of NULL ordered first.)
func walkOrder(k *Shape, w *Writer, o *Order) {
	k.part(o.n.shapeWord())
	k.put(uint32(o.nulls)<<1 | uint32(b2u(o.desc)))
	if w == nil {
		return
	}
	if o.nulls != 0 && !w.caps.NullsOrder {
		o.n.write(w)
		if o.nulls == 1 {
			w.Text(" IS NULL DESC, ")
		} else {
			w.Text(" IS NULL ASC, ")
		}
	}
	o.n.write(w)
	if o.desc {
		w.Text(" DESC")
	} else {
		w.Text(" ASC")
	}
	if o.nulls != 0 && w.caps.NullsOrder {
		if o.nulls == 1 {
			w.Text(" NULLS FIRST")
		} else {
			w.Text(" NULLS LAST")
		}
	}
}

// WalkName walks the table an INSERT writes: its word, and its name without alias.
func (plumbing) WalkName(k *Shape, w *Writer, s Source) {
	if s == nil {
		w.Fail(ErrInvalid, "nil source")
		return
	}
	k.part(s.shapeWord())
	s.writeName(w)
}

// WalkSet walks SET assignments, "a" = $1, "b" = $2, the caller putting their number. With
// qualified the columns are written with their table ("u"."a": MySQL's UPDATE of several
// tables).
func (plumbing) WalkSet(k *Shape, w *Writer, as []Assignment, qualified bool) {
	for i := range as {
		a := &as[i]
		if i > 0 {
			w.Text(", ")
		}
		k.part(a.col.shapeWord())
		Plumbing.WriteColumn(w, *a, qualified)
		w.Text(" = ")
		k.operand(a.val)
		a.val.write(w)
	}
}

// WalkColumns walks the columns of assignments, "a", "b": an INSERT's column list, the caller
// putting their number.
func (plumbing) WalkColumns(k *Shape, w *Writer, as []Assignment) {
	for i := range as {
		if i > 0 {
			w.Text(", ")
		}
		k.part(as[i].col.shapeWord())
		Plumbing.WriteColumn(w, as[i], false)
	}
}

// WalkValues walks the values of assignments, $1, $2: an INSERT's row.
func (plumbing) WalkValues(k *Shape, w *Writer, as []Assignment) {
	for i := range as {
		if i > 0 {
			w.Text(", ")
		}
		k.operand(as[i].val)
		as[i].val.write(w)
	}
}
