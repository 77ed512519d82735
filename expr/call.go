package expr

// call is a function call: name(args...).
type call struct {
	name     string
	args     []node
	distinct bool
	window   bool // may be followed by OVER (aggregates and window functions)
}

func (c *call) writeNode(w *Writer) {
	if !validFuncName(c.name) {
		w.Fail(ErrInvalid, "function name "+quote(c.name)+" is not a plain identifier")
		return
	}
	w.Text(c.name)
	w.Char('(')
	if c.distinct {
		w.Text("DISTINCT ")
	}
	for i := range c.args {
		if i > 0 {
			w.Text(", ")
		}
		c.args[i].write(w)
	}
	w.Char(')')
}

// validFuncName accepts name or schema.name made of letters, digits and underscores: function
// names are written unquoted (MySQL reads a quoted name as a stored function, not a built-in).
func validFuncName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9') || c == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func fn[T any](name string, window bool, args ...node) Expr[T] {
	return newExpr[T](call{name: name, args: args, window: window})
}

// CoalesceExpr is COALESCE(x, more...): the first non-NULL of expressions of one type. For a
// plain fallback value use Coalesce(x, v), which types v by x.
//
//	expr.CoalesceExpr(u.Nick, u.Name, expr.Val("?"))   // COALESCE("nick", "name", $1)
func CoalesceExpr[T any](x Of[T], more ...Of[T]) Expr[T] {
	args := make([]node, 1+len(more))
	args[0] = ofNode(x)
	for i, m := range more {
		args[i+1] = ofNode(m)
	}
	return fn[T]("COALESCE", false, args...)
}

// Func calls a named SQL function whose result type the caller states:
// expr.Func[time.Time]("date_trunc", expr.Val("day"), o.CreatedAt). The name must be a plain
// identifier (letters, digits, _ and .); it is written unquoted.
func Func[T any](name string, args ...Expression) Expr[T] {
	ns := make([]node, len(args))
	for i, a := range args {
		ns[i] = exprNode(a)
	}
	return fn[T](name, false, ns...)
}

// Aggregate is Func for a user-defined or engine-specific aggregate, which may take Over:
// expr.Aggregate[string]("string_agg", u.Name, expr.Val(",")).
func Aggregate[T any](name string, args ...Expression) Expr[T] {
	e := Func[T](name, args...)
	e.p.x.(*call).window = true // e is new: p is set
	return e
}
