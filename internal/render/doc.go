// Package render holds the rendering plumbing that expr and builder share and applications
// never touch: the clause a statement is writing (for error messages) and the scope that
// decides how column references are qualified. It imports nothing of typedsql's, so expr and
// builder can both import it.
//
// What users need to write an expression of their own stays in expr: the Expression
// interface and the Writer methods that append SQL text, identifiers and bound values.
package render
