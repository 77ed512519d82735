package conn

import "context"

// target is where one statement runs: the handle it is rendered for, the querier (a pinned
// connection or the pool) that runs it, and the scope when the connection is pinned.
type target struct {
	h  *handle
	q  querier
	sc *scope
}

// targetFor resolves the DB a statement goes to (DB.Route: the routers of ctx, Using among
// them), then the connection: the one ctx pins for that DB, or the pool.
func (db *DB) targetFor(ctx context.Context, stmt Statement) (target, error) {
	dst, err := db.Route(ctx, stmt)
	if err != nil {
		return target{}, err
	}
	if sc := dst.scopeOf(ctx); sc != nil {
		if sc.ended.Load() {
			return target{}, ErrBlockEnded
		}
		return target{h: sc.h, q: sc.sess, sc: sc}, nil
	}
	h, err := dst.handle()
	if err != nil {
		return target{}, err
	}
	return target{h: h, q: h.be}, nil
}

// Exec runs a statement that returns no rows: a built INSERT, UPDATE or DELETE, or SQL text
// with its arguments.
//
//	res, err := db.Exec(ctx, builder.DeleteFrom(Users).Where(Users.ID.Eq(7)))
//	// DELETE FROM "users" WHERE "id" = $1
//	res, err = db.Exec(ctx, conn.SQL("DELETE FROM users WHERE id = $1"), 7)
//
// Outside a block, a statement whose connection turns out to have died before the statement
// reached the server is run once more on a fresh connection (see the package documentation,
// "Reconnecting"); inside WithConn or an Atomic block it never is.
func (db *DB) Exec(ctx context.Context, stmt Statement, args ...any) (Result, error) {
	t, err := db.targetFor(ctx, stmt)
	if err != nil {
		return Result{}, err
	}
	text, bound, err := render(t.h.d, stmt, args)
	if err != nil {
		return Result{}, err
	}
	if t.sc != nil {
		if err := t.sc.enter(stmt, text); err != nil {
			return Result{}, err
		}
		defer t.sc.leave()
	}
	o := &t.h.obs
	qctx, ob := o.startStmt(ctx, text, bound)
	res, err := t.q.exec(qctx, text, bound)
	retried := false
	if err != nil && t.sc == nil && t.h.safeToRetry(ctx, err) {
		o.logRetry(ctx, text, bound, err)
		res, err = t.h.execFresh(qctx, text, bound)
		retried = true
	}
	err = classify(t.h, err)
	if ob.on {
		o.endStmt(qctx, ob, "conn: exec", text, bound, res.RowsAffected, err, retried)
	}
	return res, err
}

// Query runs a statement that returns rows. Close the Rows when done (reading them to the
// end closes them too).
//
//	rows, err := db.Query(ctx, builder.Select(Users.ID, Users.Name).From(Users))
//	// SELECT "id", "name" FROM "users"
//
// Like Exec, it retries once outside a block when the connection died before the statement
// reached the server, up to the first row; once a row has been read it never does.
func (db *DB) Query(ctx context.Context, stmt Statement, args ...any) (Rows, error) {
	r := new(stmtRows)
	if err := db.query(ctx, stmt, args, r); err != nil {
		return nil, err
	}
	return r, nil
}

// query runs a statement into r, which the caller owns: Query makes a new one, the fetch
// functions reuse theirs. On an error r holds nothing and needs no Close.
func (db *DB) query(ctx context.Context, stmt Statement, args []any, r *stmtRows) error {
	t, err := db.targetFor(ctx, stmt)
	if err != nil {
		return err
	}
	text, bound, err := render(t.h.d, stmt, args)
	if err != nil {
		return err
	}
	if t.sc != nil {
		if err := t.sc.enter(stmt, text); err != nil {
			return err
		}
	}
	o := &t.h.obs
	qctx, ob := o.startStmt(ctx, text, bound)
	*r = stmtRows{t: t, ctx: ctx, qctx: qctx, ob: ob, sql: text, args: bound}
	err = t.q.query(qctx, text, bound, &r.rows)
	if err != nil && t.sc == nil && t.h.safeToRetry(ctx, err) {
		o.logRetry(ctx, text, bound, err)
		r.retried = true
		err = t.h.queryFresh(qctx, text, bound, &r.rows)
	}
	if err != nil {
		err = classify(t.h, err)
		if t.sc != nil {
			t.sc.leave()
		}
		if ob.on {
			o.endStmt(qctx, ob, "conn: query", text, bound, 0, err, r.retried)
		}
		*r = stmtRows{done: true}
		return err
	}
	if t.sc != nil {
		t.sc.open.add(r)
	}
	return nil
}

// QueryRow runs a statement expected to return at most one row; Row.Scan reports ErrNoRows
// when it returns none.
func (db *DB) QueryRow(ctx context.Context, stmt Statement, args ...any) *Row {
	rows, err := db.Query(ctx, stmt, args...)
	return &Row{rows: rows, err: err}
}

// stmtRows is the Rows a Query returns: it classifies errors, retries a dead connection
// found at the first row, gives a pinned connection back to its block when the result is
// done, and reports the statement's end to the log and tracer.
type stmtRows struct {
	rows driverRows
	t    target
	ctx  context.Context // the caller's: retrying is decided on it
	qctx context.Context // the tracer's: the statement runs with it
	ob   stmtObs
	sql  string
	args []any

	n       int64 // rows read
	retried bool
	done    bool
	err     error // an error of the retry, or of a scan, which replaces the result's own
}

func (r *stmtRows) Next() bool {
	if r.done {
		return false
	}
	if r.rows.next() {
		r.n++
		return true
	}
	if r.n == 0 && !r.retried && r.t.sc == nil {
		// pgx reports a statement it could not send when the first row is asked for, not
		// from Query: retry here under the same rule as Exec.
		if err := r.rows.err(); err != nil && r.t.h.safeToRetry(r.ctx, err) {
			r.rows.close()
			r.retried = true
			r.t.h.obs.logRetry(r.ctx, r.sql, r.args, err)
			if err := r.t.h.queryFresh(r.qctx, r.sql, r.args, &r.rows); err != nil {
				r.err = err
				r.finish()
				return false
			}
			return r.Next()
		}
	}
	r.finish()
	return false
}

func (r *stmtRows) Scan(dest ...any) error { return r.scan(dest) }

func (r *stmtRows) scan(dest []any) error {
	if err := r.rows.scan(dest); err != nil {
		return classify(r.t.h, err)
	}
	return nil
}

// scanPlanned is scan for a fetch function's scanner, which keeps a native driver's scan
// plans in p from one statement to the next (engine.ScanPlans). A failed scan ends the
// result with its error, as pgx's own Scan does, so that Err, Close and the statement's log
// record report it.
func (r *stmtRows) scanPlanned(p *nativePlans, dest []any) error {
	if r.rows.nat == nil {
		return r.scan(dest)
	}
	if err := p.get(r.rows.natr).Scan(r.rows.nat, dest); err != nil {
		r.err = err
		r.rows.close()
		return classify(r.t.h, err)
	}
	return nil
}

func (r *stmtRows) Columns() []string { return r.rows.columns() }

func (r *stmtRows) Err() error {
	if r.err != nil {
		return classify(r.t.h, r.err)
	}
	return classify(r.t.h, r.rows.err())
}

func (r *stmtRows) Close() error {
	err := r.rows.close()
	r.finish()
	if r.err != nil {
		return classify(r.t.h, r.err)
	}
	return classify(r.t.h, err)
}

// finish runs once, when the result set is exhausted or closed.
func (r *stmtRows) finish() {
	if r.done {
		return
	}
	r.done = true
	r.rows.close()
	if r.t.sc != nil {
		r.t.sc.open.remove(r)
		r.t.sc.leave()
	}
	if r.ob.on {
		r.t.h.obs.endStmt(r.qctx, r.ob, "conn: query", r.sql, r.args, r.n, r.Err(), r.retried)
	}
}
