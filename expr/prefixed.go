package expr

// Prefixed selects every column of the table t under the name "prefix.column", where the
// prefix is t's alias (see As) or, without one, its name. conn's fetch functions put such
// columns into the fields of a struct field tagged db:"prefix", so that a join scans into
// nested structs with no alias written by hand, and two tables' "id" columns do not collide
// (like jet's AllColumns and sqlc's sqlc.embed):
//
//	u, o := expr.As(Users, "user"), expr.As(Orders, "order")
//	builder.Select(expr.Prefixed(u), expr.Prefixed(o)).From(u).LeftJoin(o, o.UserID.EqExpr(u.ID))
//	// SELECT "user"."id" AS "user.id", "user"."name" AS "user.name",
//	//        "order"."id" AS "order.id", "order"."user_id" AS "order.user_id", ...
//
//	type Row struct {
//		User  User   `db:"user"`
//		Order *Order `db:"order"` // nil when the LEFT JOIN found no order
//	}
//
// A derived table (FromQuery) declares no columns, so it cannot be prefixed: that is a build
// error.
func Prefixed(t Source) Expression { return prefixed{t} }

type prefixed struct{ t Source }

// WriteSQL writes the table's columns, each with its alias, separated by commas.
func (p prefixed) WriteSQL(w *Writer) {
	if p.t == nil {
		w.Fail(ErrInvalid, "expr.Prefixed: nil table")
		return
	}
	info := p.t.sourceInfo()
	if info == nil {
		w.Fail(ErrInvalid, "expr.Prefixed: table descriptor not bound: declare its table with expr.NewTable")
		return
	}
	if len(info.cols) == 0 {
		w.Fail(ErrInvalid, "expr.Prefixed: the source declares no columns (a derived table cannot be prefixed; alias its columns with As)")
		return
	}
	prefix := info.alias
	if prefix == "" {
		prefix = info.name
	}
	for i, c := range info.cols {
		if i > 0 {
			w.Text(", ")
		}
		w.column(c)
		w.Text(" AS ")
		w.Ident(prefix + "." + c.name)
	}
}
