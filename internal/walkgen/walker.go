// The rules (see the package doc): which of a function's statements each walk keeps.

package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// walker writes one walk of one function.
type walker struct {
	mode
	fset    *token.FileSet
	dropped map[string]bool        // the other walk's parameter, and the variables its statements declare
	walks   map[*ast.CallExpr]bool // the calls of walks, renamed (see call)
}

// errorf is an error at n's position.
func (wk *walker) errorf(n ast.Node, format string, args ...any) error {
	return fmt.Errorf("%s: %s", wk.fset.Position(n.Pos()), fmt.Sprintf(format, args...))
}

// function is fn's walk.
func (wk *walker) function(fn *ast.FuncDecl) (*ast.FuncDecl, error) {
	params, found := dropParam(fn.Type.Params, wk.drop)
	if !found || !hasParam(fn.Type.Params, wk.keep) {
		return nil, wk.errorf(fn, "%s takes no k and w: not a walk", fn.Name.Name)
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			wk.call(c)
		}
		return true
	})
	typ := *fn.Type
	typ.Params = params
	body, err := wk.block(fn.Body)
	if err != nil {
		return nil, err
	}
	for pruneUnused(body, body) {
	}
	if n := len(body.List); n > 0 && typ.Results == nil {
		if r, ok := body.List[n-1].(*ast.ReturnStmt); ok && len(r.Results) == 0 {
			body.List = body.List[:n-1] // the end of a branch of this walk's own
		}
	}
	return &ast.FuncDecl{Recv: fn.Recv, Name: ast.NewIdent(fn.Name.Name + wk.suffix), Type: &typ, Body: body}, nil
}

func hasParam(fl *ast.FieldList, name string) bool {
	for _, f := range fl.List {
		for _, n := range f.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

// dropParam is the parameter list without the one named name.
func dropParam(fl *ast.FieldList, name string) (*ast.FieldList, bool) {
	out := &ast.FieldList{Opening: fl.Opening, Closing: fl.Closing}
	found := false
	for _, f := range fl.List {
		var names []*ast.Ident
		for _, n := range f.Names {
			if n.Name == name {
				found = true
				continue
			}
			names = append(names, n)
		}
		if len(names) > 0 {
			c := *f
			c.Names = names
			out.List = append(out.List, &c)
		}
	}
	return out, found
}

// call renames c in place if it calls a walk (it passes k and w): the walk of this mode,
// passed only its own parameter.
func (wk *walker) call(c *ast.CallExpr) {
	k, w := -1, -1
	for i, a := range c.Args {
		if id, ok := a.(*ast.Ident); ok {
			switch id.Name {
			case "k":
				k = i
			case "w":
				w = i
			}
		}
	}
	if k < 0 || w < 0 {
		return
	}
	drop := w
	if wk.mode == sqlMode {
		drop = k
	}
	wk.walks[c] = true
	args := make([]ast.Expr, 0, len(c.Args)-1)
	args = append(args, c.Args[:drop]...)
	c.Args = append(args, c.Args[drop+1:]...)
	switch f := c.Fun.(type) {
	case *ast.Ident:
		c.Fun = &ast.Ident{NamePos: f.NamePos, Name: f.Name + wk.suffix}
	case *ast.SelectorExpr:
		c.Fun = &ast.SelectorExpr{X: f.X, Sel: &ast.Ident{NamePos: f.Sel.NamePos, Name: f.Sel.Name + wk.suffix}}
	}
}

func (wk *walker) block(b *ast.BlockStmt) (*ast.BlockStmt, error) {
	list, err := wk.stmts(b.List)
	if err != nil {
		return nil, err
	}
	return &ast.BlockStmt{Lbrace: b.Lbrace, List: list, Rbrace: b.Rbrace}, nil
}

// stmts is a statement list in this walk. What follows a return, continue or break the walk
// keeps (the end of a branch of its own) is left out: it cannot run.
func (wk *walker) stmts(in []ast.Stmt) ([]ast.Stmt, error) {
	var out []ast.Stmt
	for _, s := range in {
		got, err := wk.stmt(s)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if n := len(out); n > 0 && terminates(out[n-1]) {
			break
		}
	}
	return out, nil
}

// terminates reports whether s ends its statement list.
func terminates(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.CONTINUE || s.Tok == token.BREAK
	}
	return false
}

// stmt is s in this walk: nothing, s, or (an if decided by its test of w) the statements of
// the branch taken.
func (wk *walker) stmt(s ast.Stmt) ([]ast.Stmt, error) {
	if is, ok := s.(*ast.IfStmt); ok {
		if known, _, rest := wk.cond(is.Cond); known || rest != is.Cond {
			return wk.ifStmt(is) // its test of w decides, or is removed
		}
	}
	var header []ast.Node
	switch s := s.(type) {
	case *ast.IfStmt:
		header = []ast.Node{s.Init, s.Cond}
	case *ast.ForStmt:
		header = []ast.Node{s.Init, s.Cond, s.Post}
	case *ast.RangeStmt:
		header = []ast.Node{s.X}
	case *ast.SwitchStmt:
		header = []ast.Node{s.Init, s.Tag}
	case *ast.TypeSwitchStmt:
		header = []ast.Node{s.Init, s.Assign}
	case *ast.BlockStmt:
	default:
		header = []ast.Node{s}
	}
	if wk.usesDropped(header...) {
		if wk.mode == keyMode && failure(s) {
			return []ast.Stmt{unknown()}, nil
		}
		if wk.callsWalk(header...) {
			return nil, wk.errorf(s, "a walk is passed a variable of the walk that %s", other(wk.mode).what)
		}
		if uses(wk.keep, s) {
			return nil, wk.errorf(s, "a statement of the walk that %s uses %s", other(wk.mode).what, wk.keep)
		}
		for _, name := range declared(s) {
			wk.dropped[name] = true
		}
		return nil, nil
	}
	switch s := s.(type) {
	case *ast.IfStmt:
		return wk.ifStmt(s)
	case *ast.BlockStmt:
		b, err := wk.block(s)
		if err != nil || len(b.List) == 0 {
			return nil, err
		}
		return []ast.Stmt{b}, nil
	case *ast.ForStmt:
		c := *s
		body, err := wk.block(s.Body)
		c.Body = body
		return []ast.Stmt{&c}, err
	case *ast.RangeStmt:
		body, err := wk.block(s.Body)
		if err != nil || len(body.List) == 0 {
			return nil, err
		}
		c := *s
		c.Body = body
		c.Key, c.Value = unusedBlank(c.Key, body), unusedBlank(c.Value, body)
		if isBlank(c.Value) {
			c.Value = nil
		}
		if c.Value == nil && isBlank(c.Key) {
			c.Key, c.Tok = nil, token.ILLEGAL
		}
		return []ast.Stmt{&c}, nil
	case *ast.SwitchStmt:
		c := *s
		return wk.switchStmt(&c, &c.Body)
	case *ast.TypeSwitchStmt:
		c := *s
		return wk.switchStmt(&c, &c.Body)
	}
	return []ast.Stmt{s}, nil
}

// failure reports whether s records an error of the writing walk: w.Fail(...),
// w.Unsupported(...), or a function named fail... passed w.
func failure(s ast.Stmt) bool {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return false
	}
	c, ok := es.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch f := c.Fun.(type) {
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok && id.Name == "w" {
			return f.Sel.Name == "Fail" || f.Sel.Name == "Unsupported"
		}
	case *ast.Ident:
		return strings.HasPrefix(f.Name, "fail") && uses("w", c)
	}
	return false
}

// unknown is k.Unknown(): the shape's walk of a statement the writing walk fails.
func unknown() ast.Stmt {
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("k"), Sel: ast.NewIdent("Unknown")}}}
}

func other(m mode) mode {
	if m == keyMode {
		return sqlMode
	}
	return keyMode
}

// switchStmt is a switch (or type switch) s, a copy whose body is *body, in this walk:
// nothing if no case keeps a statement.
func (wk *walker) switchStmt(s ast.Stmt, body **ast.BlockStmt) ([]ast.Stmt, error) {
	b, empty, err := wk.clauses(*body)
	if err != nil || empty {
		return nil, err
	}
	*body = b
	return []ast.Stmt{s}, nil
}

// clauses is a switch's body in this walk, and whether every clause is left empty.
func (wk *walker) clauses(b *ast.BlockStmt) (out *ast.BlockStmt, empty bool, err error) {
	out = &ast.BlockStmt{Lbrace: b.Lbrace, Rbrace: b.Rbrace}
	empty = true
	for _, s := range b.List {
		cc := *s.(*ast.CaseClause)
		always := false
		if len(cc.List) == 1 {
			known, value, rest := wk.cond(cc.List[0])
			switch {
			case known && !value: // never taken in this walk
				continue
			case known: // always taken once reached: the default, and the last case
				always, cc.List = true, nil
			default:
				cc.List = []ast.Expr{rest}
			}
		}
		if wk.usesDropped(exprNodes(cc.List)...) { // a case of the other walk's
			if uses(wk.keep, &cc) {
				return nil, false, wk.errorf(s, "a case of the walk that %s uses %s", other(wk.mode).what, wk.keep)
			}
			continue
		}
		body, err := wk.stmts(cc.Body)
		if err != nil {
			return nil, false, err
		}
		cc.Body = body
		empty = empty && len(body) == 0
		if always { // an earlier default cannot be reached
			kept := out.List[:0]
			for _, c := range out.List {
				if c.(*ast.CaseClause).List != nil {
					kept = append(kept, c)
				}
			}
			out.List = append(kept, &cc)
			break
		}
		out.List = append(out.List, &cc)
	}
	return out, empty, nil
}

// ifStmt is an if in this walk. A condition that tests w decides which branch stays.
func (wk *walker) ifStmt(s *ast.IfStmt) ([]ast.Stmt, error) {
	known, value, rest := wk.cond(s.Cond)
	if known && s.Init != nil {
		return nil, wk.errorf(s, "an if that tests w has no init statement")
	}
	switch {
	case known && value: // the body only
		b, err := wk.block(s.Body)
		if err != nil {
			return nil, err
		}
		return b.List, nil
	case known: // the else only
		if s.Else == nil {
			return nil, nil
		}
		if b, ok := s.Else.(*ast.BlockStmt); ok {
			b, err := wk.block(b)
			if err != nil {
				return nil, err
			}
			return b.List, nil
		}
		return wk.stmt(s.Else)
	}
	c := *s
	c.Cond = rest
	body, err := wk.block(s.Body)
	if err != nil {
		return nil, err
	}
	c.Body = body
	if s.Else != nil {
		els, err := wk.stmt(s.Else)
		if err != nil {
			return nil, err
		}
		switch {
		case len(els) == 0:
			c.Else = nil
		case len(els) == 1:
			switch e := els[0].(type) {
			case *ast.IfStmt, *ast.BlockStmt:
				c.Else = e
			default:
				c.Else = &ast.BlockStmt{List: els}
			}
		default:
			c.Else = &ast.BlockStmt{List: els}
		}
	}
	switch {
	case len(body.List) > 0:
	case c.Else == nil && c.Init == nil:
		return nil, nil
	case c.Else != nil: // if !cond { else }, or if !cond && cond2 { ... } for an else if
		if e, ok := c.Else.(*ast.IfStmt); ok && e.Init == nil && e.Else == nil {
			e2 := *e
			e2.Cond = &ast.BinaryExpr{X: negate(c.Cond), Op: token.LAND, Y: e.Cond}
			e2.Init = c.Init
			return []ast.Stmt{&e2}, nil
		}
		els, ok := c.Else.(*ast.BlockStmt)
		if !ok {
			els = &ast.BlockStmt{List: []ast.Stmt{c.Else}}
		}
		c.Cond, c.Body, c.Else = negate(c.Cond), els, nil
	}
	return []ast.Stmt{&c}, nil
}

// negate is !x, with a comparison's operator turned instead.
func negate(x ast.Expr) ast.Expr {
	if b, ok := x.(*ast.BinaryExpr); ok {
		turned := map[token.Token]token.Token{token.EQL: token.NEQ, token.NEQ: token.EQL, token.LSS: token.GEQ,
			token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR}
		if op, ok := turned[b.Op]; ok {
			c := *b
			c.Op = op
			return &c
		}
	}
	if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return u.X
	}
	return &ast.UnaryExpr{Op: token.NOT, X: &ast.ParenExpr{X: x}}
}

// cond evaluates a condition in this walk: known, the test of w decides it (value); else
// rest is the condition left once a test of w, true in this walk, is removed.
func (wk *walker) cond(x ast.Expr) (known, value bool, rest ast.Expr) {
	if v, ok := wk.testsW(x); ok {
		return true, v, nil
	}
	if b, ok := x.(*ast.BinaryExpr); ok && (b.Op == token.LAND || b.Op == token.LOR) {
		if v, ok := wk.testsW(leftmost(b)); ok {
			switch {
			case b.Op == token.LAND && !v:
				return true, false, nil
			case b.Op == token.LOR && v:
				return true, true, nil
			}
			return false, false, withoutLeftmost(b)
		}
	}
	return false, false, x
}

// leftmost is the first operand of a chain of the operator of b.
func leftmost(b *ast.BinaryExpr) ast.Expr {
	for {
		l, ok := b.X.(*ast.BinaryExpr)
		if !ok || l.Op != b.Op {
			return b.X
		}
		b = l
	}
}

// withoutLeftmost is the chain b without its first operand.
func withoutLeftmost(b *ast.BinaryExpr) ast.Expr {
	l, ok := b.X.(*ast.BinaryExpr)
	if !ok || l.Op != b.Op {
		return b.Y
	}
	c := *b
	c.X = withoutLeftmost(l)
	return &c
}

// testsW reports whether x is w == nil or w != nil, and its value in this walk (w is nil in
// the shape's walk).
func (wk *walker) testsW(x ast.Expr) (value, ok bool) {
	b, isBin := x.(*ast.BinaryExpr)
	if !isBin || (b.Op != token.EQL && b.Op != token.NEQ) {
		return false, false
	}
	id, isID := b.X.(*ast.Ident)
	nilID, isNil := b.Y.(*ast.Ident)
	if !isID || id.Name != "w" || !isNil || nilID.Name != "nil" {
		return false, false
	}
	return (b.Op == token.EQL) == (wk.mode == keyMode), true
}
