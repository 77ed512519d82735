// The names a walk's statements use and declare.

package main

import (
	"go/ast"
	"go/token"
)

// callsWalk reports whether any of nodes calls a walk.
func (wk *walker) callsWalk(nodes ...ast.Node) bool {
	found := false
	for _, n := range nodes {
		if n != nil {
			ast.Inspect(n, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && wk.walks[c] {
					found = true
				}
				return !found
			})
		}
	}
	return found
}

// usesDropped reports whether any of nodes refers to the other walk's parameter or variables.
func (wk *walker) usesDropped(nodes ...ast.Node) bool {
	for name := range wk.dropped {
		if uses(name, nodes...) {
			return true
		}
	}
	return false
}

// uses reports whether any of nodes refers to name.
func uses(name string, nodes ...ast.Node) bool {
	found := false
	for _, n := range nodes {
		if n == nil {
			continue
		}
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok { // x.name is not a use of name
				ast.Inspect(sel.X, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok && id.Name == name {
						found = true
					}
					return !found
				})
				return false
			}
			if kv, ok := n.(*ast.KeyValueExpr); ok { // nor is a field name in a literal
				found = found || uses(name, kv.Value)
				return false
			}
			if id, ok := n.(*ast.Ident); ok && id.Name == name {
				found = true
			}
			return !found
		})
	}
	return found
}

// declared is the names s declares: := and var.
func declared(s ast.Stmt) []string {
	var names []string
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, x := range s.Lhs {
				if id, ok := x.(*ast.Ident); ok && id.Name != "_" {
					names = append(names, id.Name)
				}
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, spec := range g.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					names = append(names, id.Name)
				}
			}
		}
	}
	return names
}

// pruneUnused drops from the statement lists of b the declarations whose variables nothing
// else in fn uses, and reports whether it dropped any (dropping one may leave another unused).
func pruneUnused(b *ast.BlockStmt, fn *ast.BlockStmt) bool {
	pruned := false
	var visit func(list []ast.Stmt) []ast.Stmt
	visit = func(list []ast.Stmt) []ast.Stmt {
		out := list[:0]
		for _, s := range list {
			if names := declared(s); len(names) > 0 && !usedElsewhere(names, s, fn) {
				pruned = true
				continue
			}
			ast.Inspect(s, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BlockStmt:
					n.List = visit(n.List)
				case *ast.CaseClause:
					n.Body = visit(n.Body)
				}
				return true
			})
			out = append(out, s)
		}
		return out
	}
	b.List = visit(b.List)
	return pruned
}

// usedElsewhere reports whether any of names is used in fn outside its declaration decl: the
// statements are walked down to their expressions, which uses judges.
func usedElsewhere(names []string, decl ast.Stmt, fn *ast.BlockStmt) bool {
	found := false
	ast.Inspect(fn, func(x ast.Node) bool {
		if found || x == decl {
			return false
		}
		if e, ok := x.(ast.Expr); ok {
			for _, name := range names {
				found = found || uses(name, e)
			}
			return false
		}
		return true
	})
	return found
}

// unusedBlank is a range variable x, or _ if body does not use it.
func unusedBlank(x ast.Expr, body *ast.BlockStmt) ast.Expr {
	id, ok := x.(*ast.Ident)
	if !ok || id.Name == "_" || uses(id.Name, body) {
		return x
	}
	return ast.NewIdent("_")
}

func isBlank(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == "_"
}

func exprNodes(xs []ast.Expr) []ast.Node {
	out := make([]ast.Node, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
