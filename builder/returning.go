package builder

import (
	"github.com/typedsql/typedsql/expr"
)

// returning is the RETURNING clause of INSERT, UPDATE and DELETE.
type returning struct {
	cols []expr.Expression
}
