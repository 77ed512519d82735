package conn

import (
	"context"
	"errors"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/internal/engine"
)

func init() { engine.UseDriverConn = useDriverConn }

// driverStmt stands for an operation done through the driver's own connection (COPY): its
// text is what logs and tracers see, and its tables route it.
type driverStmt struct {
	text   string
	tables []string
}

func (s driverStmt) Build(dialect.Dialect) (string, []any, error) { return s.text, nil, nil }
func (s driverStmt) Tables() []string                             { return s.tables }

// useDriverConn is engine.UseDriverConn.
func useDriverConn(ctx context.Context, dbv any, text string, tables []string,
	fn func(context.Context, any) (int64, error)) (int64, error) {
	db, _ := dbv.(*DB)
	if db == nil {
		return 0, errors.New("conn: no DB")
	}
	stmt := driverStmt{text: text, tables: tables}
	t, err := db.targetFor(ctx, stmt)
	if err != nil {
		return 0, err
	}
	n, err := runDriverConn(ctx, t, stmt, fn)
	t.finish(ctx, stmt, err)
	return n, err
}

// runDriverConn is useDriverConn's operation on its target.
func runDriverConn(ctx context.Context, t target, stmt driverStmt,
	fn func(context.Context, any) (int64, error)) (int64, error) {
	text, tables := stmt.text, stmt.tables
	if t.sc == nil {
		// Not pinned: pin a connection of the chosen DB for the operation.
		var n int64
		err := t.db.WithConn(ctx, func(ctx context.Context) error {
			var err error
			n, err = useDriverConn(ctx, t.db, text, tables, fn)
			return err
		})
		return n, err
	}
	dc, st, depth := driverConnOf(t.sc.sess)
	if dc == nil {
		// Another engine's connection: fn, which knows which driver it wants, says so.
		return fn(ctx, nil)
	}
	if err := t.sc.enter(stmt, text); err != nil {
		return 0, err
	}
	defer t.sc.leave()
	if st != nil {
		if err := st.check(text); err != nil {
			return 0, err
		}
	}
	o := &t.h.obs
	qctx, ob := o.startStmt(ctx, text, nil)
	n, err := fn(qctx, dc.DriverConn())
	if err != nil && st != nil {
		st.afterError(ctx, depth, err)
	}
	err = classify(t.h, err)
	if ob.on {
		o.endStmt(qctx, ob, "conn: exec", text, nil, n, err, false)
	}
	return n, err
}

// driverConnOf finds the driver's connection behind a pinned session, and the block's
// transaction state when the session is a block's.
func driverConnOf(s session) (engine.DriverConner, *txState, int) {
	var st *txState
	depth := 0
	if bs, ok := s.(*blockSession); ok {
		s, st, depth = bs.session, bs.st, bs.depth
	}
	ns, ok := s.(*nativeSession)
	if !ok {
		return nil, nil, 0
	}
	dc, _ := ns.Session.(engine.DriverConner)
	return dc, st, depth
}
