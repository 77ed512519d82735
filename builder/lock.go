package builder

import (
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/internal/render"
)

type lockStrength uint8

const (
	lockNone lockStrength = iota
	lockUpdate
	lockShare
)

type lockWait uint8

const (
	waitDefault lockWait = iota
	waitSkipLocked
	waitNoWait
)

type lockClause struct {
	strength lockStrength
	wait     lockWait
}

func (l lockClause) write(w *expr.Writer, f *render.Frame) {
	if l.strength == lockNone {
		if l.wait != waitDefault {
			f.SetClause(render.ClauseForUpdate)
			w.Fail(expr.ErrInvalid, "SKIP LOCKED or NOWAIT without FOR UPDATE or FOR SHARE")
		}
		return
	}
	prev := f.SetClause(render.ClauseForUpdate)
	c := w.Caps()
	switch {
	case !c.ForUpdate:
		w.Unsupported("SELECT ... FOR UPDATE/FOR SHARE (row locks)")
	case l.strength == lockUpdate:
		w.Text(" FOR UPDATE")
	case c.LockInShareMode:
		w.Text(" LOCK IN SHARE MODE")
	default:
		w.Text(" FOR SHARE")
	}
	switch l.wait {
	case waitSkipLocked, waitNoWait:
		if !c.SkipLocked {
			w.Unsupported("SKIP LOCKED / NOWAIT")
		} else if l.wait == waitSkipLocked {
			w.Text(" SKIP LOCKED")
		} else {
			w.Text(" NOWAIT")
		}
	}
	f.Clause = prev
}
