package conn

import (
	"context"
	"errors"

	"github.com/typedsql/typedsql/dialect"
)

// target is where one statement runs: the handle it is rendered for, the querier (a pinned
// connection or the pool) that runs it, and the scope when the connection is pinned.
type target struct {
	db *DB // the DB the statement was routed to
	h  *handle
	q  querier
	sc *scope
	// fin is the routed view whose router chose db and is a Finisher, to be told when the
	// statement is done (finish); nil for every other statement.
	fin *DB
}

// targetFor resolves the DB a statement goes to (DB.Route: the routers of ctx, Using among
// them), then the connection: the one ctx pins for that DB, or the pool.
//
// Once a routed view's router has chosen, if it is a Finisher it must hear when the statement
// is done: targetFor tells it of a statement that fails here, the caller of any other (finish).
func (db *DB) targetFor(ctx context.Context, stmt Statement) (target, error) {
	dst, view, err := db.route(ctx, stmt)
	if err != nil {
		return target{}, err
	}
	if dst != db && dst.router != nil {
		// A context's router (Using), or a view's router, chose a routed view: its own router
		// picks the server. A first router that handed the statement on is done with it.
		first := finisherView(view)
		view = dst
		dst, err = dst.routeOwn(ctx, stmt)
		finished(ctx, first, stmt, err)
		if err != nil {
			return target{}, err
		}
	}
	fin := finisherView(view)
	if sc := dst.scopeOf(ctx); sc != nil {
		if sc.ended.Load() {
			finished(ctx, fin, stmt, ErrBlockEnded)
			return target{}, ErrBlockEnded
		}
		if fin != nil {
			sc.settling().add(fin)
		}
		return target{db: dst, h: sc.h, q: sc.sess, sc: sc, fin: fin}, nil
	}
	h, err := dst.handle()
	if err != nil {
		finished(ctx, fin, stmt, err)
		return target{}, err
	}
	return target{db: dst, h: h, q: h.be, fin: fin}, nil
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
	res, t, err := db.exec(ctx, stmt, args)
	for try := 1; try < retiredTries && errors.Is(err, errRetired); try++ {
		t.finish(ctx, stmt, err)
		res, t, err = db.exec(ctx, stmt, args) // Init replaced the database meanwhile: use the new one
	}
	if err != nil && t.db != nil && t.sc == nil && db.router != nil {
		if t2, ok := db.reroute(ctx, stmt, t, err); ok {
			res, err = db.execOn(ctx, t2, stmt, args)
		}
	}
	t.finish(ctx, stmt, err)
	return res, err
}

// retiredTries bounds how often a statement starts again because a re-Init replaced the
// handle it loaded (errRetired): more than once only when Inits follow each other that fast.
const retiredTries = 3

// exec finds Exec's target and runs the statement there; t.db is nil when there was none.
func (db *DB) exec(ctx context.Context, stmt Statement, args []any) (Result, target, error) {
	t, err := db.targetFor(ctx, stmt)
	if err != nil {
		return Result{}, t, err
	}
	res, err := db.execOn(ctx, t, stmt, args)
	return res, t, err
}

// execOn runs Exec's statement on its target.
func (db *DB) execOn(ctx context.Context, t target, stmt Statement, args []any) (Result, error) {
	text, bound, err := render(t.h.dialect(), stmt, args)
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
	err = db.queryOn(ctx, t, stmt, args, r)
	for try := 1; try < retiredTries && errors.Is(err, errRetired); try++ {
		// Init replaced the database meanwhile: use the new one.
		t.finish(ctx, stmt, err)
		if t, err = db.targetFor(ctx, stmt); err != nil {
			return err
		}
		err = db.queryOn(ctx, t, stmt, args, r)
	}
	if err != nil && t.sc == nil && db.router != nil {
		if t2, ok := db.reroute(ctx, stmt, t, err); ok {
			err = db.queryOn(ctx, t2, stmt, args, r) // on success r finishes it, with t2.fin
		}
	}
	if err != nil {
		t.finish(ctx, stmt, err) // r holds nothing: the statement is done
	}
	return err
}

// queryOn runs query's statement on its target into r.
func (db *DB) queryOn(ctx context.Context, t target, stmt Statement, args []any, r *stmtRows) error {
	text, bound, err := render(t.h.dialect(), stmt, args)
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
	if db.router != nil && t.sc == nil {
		r.via, r.stmt = db, stmt // a routed view's second chance at the first row (Rerouter)
	}
	if t.fin != nil {
		r.stmt = stmt // for Finisher.Finished, when r is done
	}
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

	// via and stmt are set for a statement made on a routed view outside a block: a failure
	// at the first row is offered to the view's Rerouter. stmt is also set when t.fin is,
	// for the Finisher to hear of at finish.
	via  *DB
	stmt Statement

	n       int64 // rows read
	pending bool  // settle read row n ahead of Next
	retried bool
	done    bool
	err     error // an error of the retry, or of a scan, which replaces the result's own
}

func (r *stmtRows) Next() bool {
	if r.done {
		return false
	}
	if r.pending {
		r.pending = false
		return true
	}
	if r.rows.next() {
		r.n++
		return true
	}
	if r.retryFirst() {
		return r.Next()
	}
	r.finish()
	return false
}

// retryFirst runs when the driver's rows ended before the first row with an error: pgx
// reports there a statement it could not send, and a server's FATAL (a replica killed
// mid-statement). Outside a block, a statement that provably never reached the server runs
// once more on a fresh connection (the rule of Exec), and one made on a routed view is offered
// to its Rerouter. It reports whether r now holds the new result; when not, r.err may hold
// the retry's error and the caller finishes r.
func (r *stmtRows) retryFirst() bool {
	if r.n != 0 || r.retried || r.t.sc != nil {
		return false
	}
	err := r.rows.err()
	if err == nil {
		return false
	}
	if r.t.h.safeToRetry(r.ctx, err) {
		r.rows.close()
		r.retried = true
		r.t.h.obs.logRetry(r.ctx, r.sql, r.args, err)
		if err := r.t.h.queryFresh(r.qctx, r.sql, r.args, &r.rows); err != nil {
			r.err = err
			return false
		}
		return true
	}
	if r.via == nil {
		return false
	}
	t2, ok := r.via.reroute(r.ctx, r.stmt, r.t, classify(r.t.h, err))
	if !ok || !dialect.Same(t2.h.dialect(), r.t.h.dialect()) { // the SQL already rendered must be t2's too
		return false
	}
	r.rows.close()
	r.retried = true
	r.t.h.obs.logRetry(r.ctx, r.sql, r.args, err)
	if err := t2.q.query(r.qctx, r.sql, r.args, &r.rows); err != nil {
		r.err = classify(t2.h, err)
		return false
	}
	return true
}

// settle is for a result that shows no columns: one whose statement failed before its first
// row, which retryFirst may replace by a new result, or one that returns no rows (an INSERT
// without RETURNING). A row it has to read to tell stays pending for the next Next.
func (r *stmtRows) settle() {
	if r.done || r.n != 0 || r.pending {
		return
	}
	if r.rows.next() {
		r.n++
		r.pending = true
		return
	}
	if !r.retryFirst() {
		r.finish()
	}
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
	if r.t.fin != nil {
		r.t.finish(r.ctx, r.stmt, r.Err())
	}
}
