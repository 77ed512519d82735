package expr

// Window is an OVER clause: PARTITION BY and ORDER BY. The zero Window is OVER ().
type Window struct {
	partition []node
	order     []Order
}

// PartitionBy starts a window: PARTITION BY xs.
func PartitionBy(xs ...Expression) Window { return Window{}.PartitionBy(xs...) }

// PartitionBy adds PARTITION BY expressions.
func (win Window) PartitionBy(xs ...Expression) Window {
	p := make([]node, len(win.partition), len(win.partition)+len(xs))
	copy(p, win.partition)
	for _, x := range xs {
		p = append(p, exprNode(x))
	}
	win.partition = p
	return win
}

// OrderBy adds ORDER BY items to the window.
func (win Window) OrderBy(os ...Order) Window {
	win.order = append(win.order[:len(win.order):len(win.order)], os...)
	return win
}

type over struct {
	f   node
	win Window
}

// Over applies e, an aggregate or window function, over a window:
//
//	expr.Sum(o.Total).Over(expr.PartitionBy(o.UserID))  // SUM("total") OVER (PARTITION BY "user_id")
//
// Over on any other expression fails to build.
func (e Expr[T]) Over(win Window) Expr[T] {
	return newExpr[T](over{e.node(), win})
}

func (o *over) writeNode(w *Writer) {
	if !o.f.isAggregate() {
		w.Fail(ErrInvalid, "OVER applies only to an aggregate or window function")
		return
	}
	o.f.write(w)
	w.Text(" OVER (")
	for i := range o.win.partition {
		if i == 0 {
			w.Text("PARTITION BY ")
		} else {
			w.Text(", ")
		}
		o.win.partition[i].write(w)
	}
	if len(o.win.order) > 0 {
		if len(o.win.partition) > 0 {
			w.Char(' ')
		}
		w.Text("ORDER BY ")
		Plumbing.WalkOrdersSQL(w, o.win.order)
	}
	w.Char(')')
}
