//go:build ignore

// The walks of the statements, each written once with the shape k and the writer w:
// walkgen writes from each the function that computes the shape only (name + "Key") and the
// one that writes only (name + "SQL"), into walk_gen.go. See internal/walkgen for the rules,
// and expr.Shape for what a shape is.

package builder

import (
	"strconv"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

// walk walks the statement; a non-nil assigns replaces the select list (INSERT ... SELECT).
// Statements with WITH, several FROM sources, or lists longer than their inline arrays have
// no shape, nor has INSERT ... SELECT.
//
// The parts after WHERE, absent from most SELECTs, are skipped by the shape's walk with one
// test of its first word rather than one each (callgrind, BenchmarkRender warm, instructions
// per build+render in the project's own code: Q1 864 -> 852, Q2 2082 -> 2086).
func (s *SelectStmt) walk(k *expr.Shape, w *expr.Writer, assigns []expr.Assignment) {
	if w == nil && s.x != nil { // (assigns is the writing walk's only: INSERT ... SELECT has no shape)
		k.Unknown()
		return
	}
	// The first word: the kind, flags and clauses, every inline list's length in the bits its
	// array needs (selectShapeCounts checks them at compile time), and the one join's kind
	// (a zero join's without one). An empty list then costs no word, and a list no word for
	// its length (callgrind, BenchmarkRender warm, instructions per build+render: Q1 1374 ->
	// 1350, Q2 3333 -> 3283).
	first := shapeSelect | flag(s.distinct, 8) | uint64(s.lock.strength)<<9 | uint64(s.lock.wait)<<11 |
		flag(s.limit.hasLimit, selectLimitBit) | flag(s.limit.hasOffset, selectOffsetBit) |
		flag(s.from != nil, 15) | uint64(s.cols.n)<<16 | uint64(s.joins.n)<<19 |
		uint64(s.where.n)<<20 | uint64(s.group.n)<<selectGroupBits | uint64(s.having.n)<<selectHavingBit |
		uint64(s.order.n)<<selectOrderBit | uint64(s.joins.buf[0].kind)<<26
	k.Word(first)
	// Each list is read where it is for the writing walk (items), but from its inline array
	// for the shape's, which stopped above for a statement whose list outgrew its array: a
	// list of the shape is sliced only if it is not empty, at the cost of a bounds check,
	// where reading every list through items cost a build+render more (callgrind,
	// BenchmarkRender warm, instructions per build+render: Q1 1330 -> 1304).
	x := s.extOrEmpty()
	f := plumb.Frame(w)
	if x != &emptyExt {
		x.with.write(w)
	}
	switch {
	case s.from != nil && len(x.from) == 0 && s.joins.n == 0:
		plumb.SetSoleSource(w, s.from)
	case s.from == nil && len(x.from) == 0 && s.joins.n == 0:
		f.SetNoSource() // SELECT 1, SELECT NOW(): a column here has no table to come from
	default:
		plumb.SetSoleSource(w, nil)
	}
	f.SetClause(render.ClauseSelect)
	if s.distinct {
		w.Text("SELECT DISTINCT ")
	} else {
		w.Text("SELECT ")
	}
	switch {
	case w != nil && assigns != nil:
		for i := range assigns {
			if i > 0 {
				w.Text(", ")
			}
			plumb.WriteValue(w, assigns[i])
		}
	case s.cols.n == 0:
		w.Fail(expr.ErrInvalid, "SELECT with no columns")
		return
	case w == nil:
		plumb.WalkExprs(k, w, s.cols.buf[:s.cols.n])
	default:
		plumb.WalkExprs(k, w, s.cols.items(s.cols.buf[:], &x.cols))
	}
	if s.from != nil {
		f.SetClause(render.ClauseFrom)
		w.Text(" FROM ")
		plumb.WalkSource(k, w, s.from)
		if len(x.from) > 0 {
			w.Text(", ")
			writeSources(w, x.from)
		}
	}
	if s.joins.n > 0 {
		var joins []join
		if w == nil {
			joins = s.joins.buf[:s.joins.n]
		} else {
			joins = s.joins.items(s.joins.buf[:], &x.joins)
		}
		for i := range joins {
			joins[i].walk(k, w)
		}
	}
	if s.where.n > 0 {
		f.SetClause(render.ClauseWhere)
		w.Text(" WHERE ")
		if w == nil {
			plumb.WalkConds(k, w, s.where.buf[:s.where.n])
		} else {
			plumb.WalkConds(k, w, s.where.items(s.where.buf[:], &x.where))
		}
	}
	if w == nil && first&selectTail == 0 {
		return
	}
	if s.group.n > 0 {
		f.SetClause(render.ClauseGroupBy)
		w.Text(" GROUP BY ")
		if w == nil {
			plumb.WalkExprs(k, w, s.group.buf[:s.group.n])
		} else {
			plumb.WalkExprs(k, w, s.group.items(s.group.buf[:], &x.group))
		}
	}
	if s.having.n > 0 {
		f.SetClause(render.ClauseHaving)
		w.Text(" HAVING ")
		if w == nil {
			plumb.WalkConds(k, w, s.having.buf[:s.having.n])
		} else {
			plumb.WalkConds(k, w, s.having.items(s.having.buf[:], &x.having))
		}
	}
	if s.order.n > 0 {
		f.SetClause(render.ClauseOrderBy)
		w.Text(" ORDER BY ")
		if w == nil {
			plumb.WalkOrders(k, w, s.order.buf[:s.order.n])
		} else {
			plumb.WalkOrders(k, w, s.order.items(s.order.buf[:], &x.order))
		}
	}
	if s.limit.hasLimit || s.limit.hasOffset { // (tested here: a call for nothing cost a first render 13)
		s.limit.walk(k, w)
	}
	if s.lock != (lockClause{}) {
		s.lock.write(w, f)
	}
}

// walk walks a join; its kind is in its statement's first word.
func (j *join) walk(k *expr.Shape, w *expr.Writer) {
	plumb.Frame(w).SetClause(joinClause[j.kind])
	c := w.Caps()
	switch {
	case j.kind == rightJoin && !c.RightJoin:
		w.Unsupported("RIGHT JOIN")
	case j.kind == fullJoin && !c.FullJoin:
		w.Unsupported("FULL JOIN")
	}
	writeJoinKeyword(w, j.kind)
	if j.src == nil {
		w.Fail(expr.ErrInvalid, "nil source")
		return
	}
	plumb.WalkSource(k, w, j.src)
	if j.kind != crossJoin {
		w.Text(" ON ")
		plumb.WalkConds(k, w, j.on[:])
	}
}

// walk walks LIMIT and OFFSET: their counts, written as literals; whether there are any is in
// the statement's first word.
func (l *limitOffset) walk(k *expr.Shape, w *expr.Writer) {
	if !l.hasLimit && !l.hasOffset {
		return
	}
	plumb.Frame(w).SetClause(render.ClauseLimit)
	if l.limit < 0 || l.offset < 0 {
		w.Fail(expr.ErrInvalid, "negative LIMIT or OFFSET ("+strconv.FormatInt(min(l.limit, l.offset), 10)+")")
		return
	}
	if l.hasLimit {
		k.Int(l.limit)
		w.Text(" LIMIT ")
		w.Int(l.limit)
	} else if l.hasOffset && w.Caps().LimitAll != "" {
		// MySQL and SQLite have no OFFSET without LIMIT.
		w.Text(" LIMIT ")
		w.Text(w.Caps().LimitAll)
	}
	if l.hasOffset {
		k.Int(l.offset)
		w.Text(" OFFSET ")
		w.Int(l.offset)
	}
}

// walk walks the statement. DELETE with USING or WITH has no shape.
func (s *DeleteStmt) walk(k *expr.Shape, w *expr.Writer) {
	if s.table == nil {
		w.Fail(expr.ErrInvalid, "DELETE without a table")
		return
	}
	if w == nil && (len(s.using) > 0 || len(s.with.ctes) > 0 || s.with.recursive) {
		k.Unknown()
		return
	}
	k.Word(shapeDelete | flag(s.limit.hasLimit, 8) | flag(s.allRows, 9))
	c := w.Caps()
	f := plumb.Frame(w)
	if !s.with.writeDML(w, "DELETE") {
		return
	}
	multi := len(s.using) > 0
	if multi {
		plumb.SetSoleSource(w, nil)
	} else {
		plumb.SetSoleSource(w, s.table)
	}
	f.SetClause(render.ClauseDelete)
	switch {
	case !multi:
		w.Text("DELETE FROM ")
		plumb.WalkSource(k, w, s.table)
	case c.DeleteUsing:
		w.Text("DELETE FROM ")
		plumb.WriteSource(w, s.table)
		f.SetClause(render.ClauseUsing)
		w.Text(" USING ")
		writeSources(w, s.using)
	case c.DeleteJoin:
		w.Text("DELETE ")
		if !plumb.WriteRef(w, s.table) {
			w.Fail(expr.ErrInvalid, "DELETE target is not a table")
			return
		}
		w.Text(" FROM ")
		plumb.WriteSource(w, s.table)
		w.Text(", ")
		writeSources(w, s.using)
	default:
		f.SetClause(render.ClauseUsing)
		w.Unsupported("DELETE with other tables (USING)")
		return
	}
	if len(s.conds) > 0 {
		f.SetClause(render.ClauseWhere)
		w.Text(" WHERE ")
	} else if !s.allRows && !s.limit.hasLimit {
		failUnrestricted(w, "DELETE", "delete", s.table)
		return
	}
	k.Word(uint64(len(s.conds)))
	plumb.WalkConds(k, w, s.conds)
	walkOrderLimit(k, w, s.order, &s.limit, dmlDelete, multi)
	s.returning.walk(k, w, dmlDelete)
}

// walk walks the statement. UPDATE with FROM, JOIN, ORDER BY, LIMIT, RETURNING or WITH (its
// extension) has no shape.
func (s *UpdateStmt) walk(k *expr.Shape, w *expr.Writer) {
	if w == nil && (s.x != nil || s.table == nil) {
		k.Unknown()
		return
	}
	x := s.extOrEmpty()
	as := s.assignments()
	k.Word(shapeUpdate | flag(s.allRows, 8))
	c := w.Caps()
	f := plumb.Frame(w)
	switch {
	case s.table == nil:
		w.Fail(expr.ErrInvalid, "UPDATE without a table")
		return
	case len(as) == 0:
		f.SetClause(render.ClauseSet)
		w.Fail(expr.ErrInvalid, "UPDATE with no SET assignments")
		return
	}
	if !x.with.writeDML(w, "UPDATE") {
		return
	}
	multi := len(x.from) > 0 || len(x.joins) > 0
	if multi {
		plumb.SetSoleSource(w, nil)
	} else {
		plumb.SetSoleSource(w, s.table)
	}
	f.SetClause(render.ClauseUpdate)
	w.Text("UPDATE ")
	plumb.WalkSource(k, w, s.table)
	joined := false // MySQL: the other tables are part of the table list
	if w != nil && multi {
		switch {
		case c.UpdateFrom:
		case c.UpdateJoin:
			joined = true
			for i := range x.joins {
				x.joins[i].walkSQL(w)
			}
			if len(x.from) > 0 {
				f.SetClause(render.ClauseUpdate)
				w.Text(", ")
				writeSources(w, x.from)
			}
		default:
			f.SetClause(render.ClauseFrom)
			w.Unsupported("UPDATE with other tables")
			return
		}
	}
	f.SetClause(render.ClauseSet)
	checkAssignments(w, s.table, as)
	w.Text(" SET ")
	k.Word(uint64(len(as)))
	plumb.WalkSet(k, w, as, joined)
	where := " WHERE "
	if w != nil && multi && !joined {
		f.SetClause(render.ClauseFrom)
		w.Text(" FROM ")
		for i := range x.joins {
			if i > 0 {
				w.Text(", ")
			}
			if x.joins[i].src == nil {
				w.Fail(expr.ErrInvalid, "nil source")
				return
			}
			plumb.WriteSource(w, x.joins[i].src)
		}
		if len(x.joins) > 0 && len(x.from) > 0 {
			w.Text(", ")
		}
		writeSources(w, x.from)
		// The join conditions lead the WHERE clause.
		for i := range x.joins {
			f.SetClause(render.ClauseInnerJoin)
			w.Text(where)
			x.joins[i].on[0].WriteSQL(w)
			where = " AND "
		}
	}
	conds := s.conds()
	if len(conds) > 0 {
		f.SetClause(render.ClauseWhere)
		w.Text(where)
	} else if !s.allRows && len(x.joins) == 0 && !x.limit.hasLimit {
		failUnrestricted(w, "UPDATE", "change", s.table)
		return
	}
	k.Word(uint64(len(conds)))
	plumb.WalkConds(k, w, conds)
	if x != &emptyUpdateExt { // (never in the shape's walk: a statement with them has no shape)
		walkOrderLimit(k, w, x.order, &x.limit, dmlUpdate, multi)
		x.returning.walk(k, w, dmlUpdate)
	}
}

// walkOrderLimit walks the ORDER BY and LIMIT of an UPDATE or DELETE (stmt), which only some
// engines allow, and none with several tables (multi).
func walkOrderLimit(k *expr.Shape, w *expr.Writer, order []expr.Order, l *limitOffset, stmt dml, multi bool) {
	k.Word(uint64(len(order)))
	if len(order) == 0 && !l.hasLimit {
		return
	}
	f := plumb.Frame(w)
	if multi || !stmt.limit(w.Caps()) {
		if len(order) > 0 {
			f.SetClause(render.ClauseOrderBy)
		} else {
			f.SetClause(render.ClauseLimit)
		}
		w.Unsupported(stmt.String() + " ... ORDER BY/LIMIT (or with several tables)")
		return
	}
	if len(order) > 0 {
		f.SetClause(render.ClauseOrderBy)
		w.Text(" ORDER BY ")
	}
	plumb.WalkOrders(k, w, order)
	l.walk(k, w)
}

// walk walks a RETURNING clause of stmt (INSERT, UPDATE, DELETE), which only some engines
// take.
func (r *returning) walk(k *expr.Shape, w *expr.Writer, stmt dml) {
	k.Word(uint64(len(r.cols)))
	if len(r.cols) == 0 {
		return
	}
	plumb.Frame(w).SetClause(render.ClauseReturning)
	if !stmt.returning(w.Caps()) {
		w.Unsupported(stmt.String() + " ... RETURNING")
		return
	}
	w.Text(" RETURNING ")
	plumb.WalkExprs(k, w, r.cols)
}

// walk walks the statement. INSERT ... SELECT, upserts and WITH (its extension) have no shape.
func (s *InsertStmt) walk(k *expr.Shape, w *expr.Writer) {
	if w == nil && (s.x != nil || s.into == nil) {
		k.Unknown()
		return
	}
	x := s.extOrEmpty()
	k.Word(shapeInsert | flag(s.ignore, 8) | flag(s.defaults, 9))
	c := w.Caps()
	f := plumb.Frame(w)
	// The checks of what the shape's walk returned for above are the writing walk's only.
	switch {
	case w != nil && x.err != "":
		w.Fail(expr.ErrInvalid, x.err)
		return
	case w != nil && s.into == nil:
		w.Fail(expr.ErrInvalid, "INSERT without a table")
		return
	case s.nrows == 0 && !s.defaults:
		w.Fail(expr.ErrInvalid, "INSERT without VALUES, SELECT or DEFAULT VALUES")
		return
	case s.nrows > 0 && s.defaults:
		w.Fail(expr.ErrInvalid, "INSERT with both VALUES and DEFAULT VALUES")
		return
	case s.nrows > 0 && s.width == 0:
		w.Fail(expr.ErrInvalid, "INSERT row with no values")
		return
	case w != nil && x.query != nil && s.nrows > 1:
		w.Fail(expr.ErrInvalid, "INSERT with both a SELECT and VALUES rows")
		return
	}
	if !x.with.writeDML(w, "INSERT") {
		return
	}
	f.SetClause(render.ClauseInsert)
	w.Text("INSERT ")
	if w != nil && s.ignore {
		switch {
		case c.InsertIgnore:
			w.Text("IGNORE ")
		case c.InsertOrIgnore:
			w.Text("OR IGNORE ")
		case c.Upsert != dialect.UpsertOnConflict:
			w.Unsupported("INSERT IGNORE")
		}
	}
	w.Text("INTO ")
	plumb.WalkName(k, w, s.into)
	plumb.SetSoleSource(w, s.into)
	switch {
	case s.defaults && c.DefaultValues:
		w.Text(" DEFAULT VALUES")
	case s.defaults:
		w.Text(" () VALUES ()")
	default: // the column list, then the VALUES rows or a SELECT (which has no shape)
		rows := s.values()
		first := rows[:s.width]
		k.Word(uint64(s.width))
		k.Word(uint64(s.nrows))
		checkAssignments(w, s.into, first)
		w.Text(" (")
		plumb.WalkColumns(k, w, first)
		w.Char(')')
		if w != nil && s.x != nil && s.x.query != nil {
			f.SetClause(render.ClauseSelect)
			w.Char(' ')
			if len(s.x.query.columns()) > 0 {
				w.Fail(expr.ErrInvalid, "INSERT ... SELECT: the SELECT's list comes from the assignments; build it with builder.Select()")
				return
			}
			s.x.query.write(w, first)
			break
		}
		// The commonest INSERT, one row, without the loop's bookkeeping, whose first turn puts
		// the same words (callgrind, BenchmarkRender warm, instructions per build+render: Q3
		// 1937 -> 1909).
		if w == nil && s.nrows == 1 {
			plumb.WalkValues(k, w, first)
			break
		}
		f.SetClause(render.ClauseValues)
		w.Text(" VALUES ")
		width := int(s.width)
		if s.nrows > 1 {
			plumb.ReserveArgs(w, int(s.nrows)*width) // a batch of 16,383 rows: room at once, not by doubling
		}
		for r := 0; r < int(s.nrows); r++ {
			row := first // (the first row sliced once, for both its columns and its values)
			if r > 0 {
				row = rows[r*width : (r+1)*width]
				w.Text(", ")
				for i := range row {
					if !plumb.SameColumn(row[i], first[i]) {
						w.Fail(expr.ErrInvalid, "VALUES row "+strconv.Itoa(r+1)+" assigns column "+
							quoteName(row[i].ColumnName())+" where row 1 assigns "+quoteName(first[i].ColumnName()))
						return
					}
				}
			}
			w.Char('(')
			plumb.WalkValues(k, w, row)
			w.Char(')')
		}
	}
	s.writeConflict(w, f, &x.conflict)
	ret := s.returningList()
	ret.walk(k, w, dmlInsert)
}
