package builder

import "github.com/typedsql/typedsql/expr"

// plumb is what the statements use of package expr beyond its application API: the walks of
// their parts, the shape cache, the writer's frame (see expr.Plumbing).
var plumb = expr.Plumbing
