package replica

import (
	"context"
	"sync"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
)

// tracker is one read-your-writes session: the writes made since its position was last read
// (marked, then dirty), and the positions read for them.
//
// A write is marked twice: when it is routed, and when it has finished (the router is a
// conn.Finisher: Finished for a statement, Settled for a block, whose writes land at its
// COMMIT). A read made with the same context on another goroutine while the write runs may
// resolve the primary's position before the write lands and take its first mark; the second
// mark makes the next read resolve again, so a read made after the write returned always
// waits for it. Marking needs no count of the writes in flight, so a routing that is never
// finished (DB.Route called by hand) costs one more resolution and no more.
type tracker struct {
	// perTable: reads wait only for the writes of the tables they read (TrackTables).
	perTable bool

	// marks: the writes marked since a resolution last took them (take). Their lock is never
	// held across a round trip, so a write marks without waiting for a read's resolution.
	marks        sync.Mutex
	marked       bool // a write whose tables are not known
	markedTables map[string]struct{}

	// mu guards the rest, and is held across a resolution's round trip.
	mu sync.Mutex
	// dirty: a write whose tables are not known (a block, SQL text) is not yet resolved to a
	// position; dirtyTables: the same for writes whose tables are known (perTable only).
	dirty       bool
	dirtyTables map[string]struct{}
	// pos covers every resolved write of the session: the primary's position as of the last
	// resolution. all is the position of the last resolved write of unknown tables, which every
	// read must see; tables holds each written table's position (perTable only).
	pos    Position
	all    Position
	tables map[string]Position
}

type trackerKey struct{}

// Track returns a context with read-your-writes: after a statement made with it goes to the
// primary (a write, a block), a later read made with it goes to a replica that has replayed
// the primary's position as of that read, waits up to Options.ReadYourWritesWait for one
// (polling pg_last_wal_replay_lsn(), or MASTER_GTID_WAIT), or goes to the primary. The
// position is read from the primary (pg_current_wal_insert_lsn(), @@gtid_binlog_pos) once, at the
// first read after a write. Reads stay at or after that position (monotonic reads).
//
//	ctx = replica.Track(ctx)
//	set.Exec(ctx, builder.InsertInto(Users).Values(Users.Name.Set("ann")))             // primary
//	u, err := conn.One[User](ctx, set.DB, builder.Select(Users.ID, Users.Name).From(Users).
//		Where(Users.Name.Eq("ann")))                                                   // sees ann
//
// A read sees every write made with the context that had returned before the read began,
// also when goroutines share the context (an errgroup in a request handler): a write still
// running while another goroutine's read reads the position counts again once it has
// finished (as Exec returns, as a query's rows are closed or read to the end, failed or not),
// so the first read after it reads the position anew. The writes of an Atomic block, WithConn
// or a Session count when the block has committed or rolled back, as they land at its COMMIT.
// Set.Token covers the writes that have finished.
//
// A context already tracking is returned as it is. Carry the session across requests with
// Set.Token and Set.Resume.
func Track(ctx context.Context) context.Context {
	if _, ok := ctx.Value(trackerKey{}).(*tracker); ok {
		return ctx
	}
	return context.WithValue(ctx, trackerKey{}, &tracker{})
}

// TrackTables is Track with stickiness per table: a read waits only for the session's writes
// to the tables it reads (its Tables()), so writing orders does not hold reads of products to
// the replicas that have replayed the order.
//
//	ctx = replica.TrackTables(ctx)
//	set.Exec(ctx, builder.InsertInto(Orders).Values(...))      // primary; orders is now sticky
//	conn.All[Product](ctx, set.DB, builder.Select(...).From(Products)) // any usable replica
//	conn.All[Order](ctx, set.DB, builder.Select(...).From(Orders))     // one that has the order
//
// What cannot name its tables counts as touching every table: a write in an Atomic block or
// WithConn, SQL text (conn.SQL, also when marked conn.ReadOnly), a statement with no tables.
// Writes count when they have finished, as with Track. A context already tracking is returned
// as it is (with its own mode).
func TrackTables(ctx context.Context) context.Context {
	if _, ok := ctx.Value(trackerKey{}).(*tracker); ok {
		return ctx
	}
	return context.WithValue(ctx, trackerKey{}, &tracker{perTable: true})
}

// tablesOf is the tables stmt names, nil when it names none or cannot say.
func tablesOf(stmt conn.Statement) []string {
	if tl, ok := stmt.(builder.TableLister); ok {
		return tl.Tables()
	}
	return nil
}

// noteWrite marks stmt, made with ctx, as a write of the session: it went to the primary, or
// has finished there. Inside a block or WithConn every statement counts as writing every
// table: the block may have written through statements the router never saw.
func noteWrite(ctx context.Context, stmt conn.Statement, pinned bool) {
	tr, ok := ctx.Value(trackerKey{}).(*tracker)
	if !ok {
		return
	}
	tr.marks.Lock()
	defer tr.marks.Unlock()
	tables := tablesOf(stmt)
	if !tr.perTable || pinned || len(tables) == 0 {
		tr.marked = true
		return
	}
	if tr.markedTables == nil {
		tr.markedTables = map[string]struct{}{}
	}
	for _, t := range tables {
		tr.markedTables[t] = struct{}{}
	}
}

// noteSettled marks every table written by the session of ctx: a block or pinned connection
// whose statements it routed has committed or rolled back (conn.Finisher's Settled).
func noteSettled(ctx context.Context) {
	tr, ok := ctx.Value(trackerKey{}).(*tracker)
	if !ok {
		return
	}
	tr.marks.Lock()
	tr.marked = true
	tr.marks.Unlock()
}

// take moves the marks into the writes not yet resolved; tr.mu is held. A mark made after
// take, while a resolution's round trip runs, stays for the next one.
func (tr *tracker) take() {
	tr.marks.Lock()
	defer tr.marks.Unlock()
	if tr.marked {
		tr.dirty, tr.marked = true, false
	}
	for t := range tr.markedTables {
		if tr.dirtyTables == nil {
			tr.dirtyTables = map[string]struct{}{}
		}
		tr.dirtyTables[t] = struct{}{}
	}
	tr.markedTables = nil
}

// needed is the position a read of stmt made with ctx must see (zero outside Track); ok is
// false when the session wrote and the primary's position cannot be read now.
func (s *Set) needed(ctx context.Context, stmt conn.Statement) (Position, bool) {
	tr, _ := ctx.Value(trackerKey{}).(*tracker)
	if tr == nil {
		return Position{}, true
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.take()
	if !tr.perTable {
		if err := s.resolve(ctx, tr); err != nil {
			return Position{}, false
		}
		return tr.pos, true
	}
	tables := tablesOf(stmt)
	if tr.dirty || len(tables) == 0 || tr.touchesDirty(tables) {
		if err := s.resolve(ctx, tr); err != nil {
			return Position{}, false
		}
	}
	return tr.needFor(tables), true
}

// needFor is the position a read of tables must see in a per-table session whose writes are
// resolved: the latest of the tables' positions and of the writes of unknown tables; for a
// read that names no tables, the session's whole position.
func (tr *tracker) needFor(tables []string) Position {
	if len(tables) == 0 {
		return tr.pos
	}
	need := tr.all
	for _, t := range tables {
		need = tr.later(need, tr.tables[t])
	}
	return need
}

// touchesDirty reports whether a read of tables reads a table written since the last
// resolution.
func (tr *tracker) touchesDirty(tables []string) bool {
	for _, t := range tables {
		if _, ok := tr.dirtyTables[t]; ok {
			return true
		}
	}
	return false
}

// later is the one of a and b that covers the other. Positions read from one primary in turn
// always do; two that do not (a token from before a failover) give the session's latest
// position, which the primary reported after both.
func (tr *tracker) later(a, b Position) Position {
	switch {
	case a.Covers(b):
		return a
	case b.Covers(a):
		return b
	}
	return tr.pos
}

// resolve reads the primary's position for the writes not yet resolved (take them first): one
// round trip, done when a read needs it, not after every write.
func (s *Set) resolve(ctx context.Context, tr *tracker) error {
	if !tr.dirty && len(tr.dirtyTables) == 0 {
		return nil
	}
	pos, err := s.eng.primaryPosition(ctx, s.primary)
	if err != nil {
		return err
	}
	tr.pos = pos
	if tr.dirty {
		tr.all = pos
	}
	for t := range tr.dirtyTables {
		if tr.tables == nil {
			tr.tables = map[string]Position{}
		}
		tr.tables[t] = pos
	}
	tr.dirty, tr.dirtyTables = false, nil
	return nil
}

// Token returns the read-your-writes position of a Track context as text to carry in a
// cookie or a header (see Resume): "" when the session has not written. A TrackTables
// context's token holds a position per written table ("tables:..."), and Resume gives back
// a context tracking per table.
//
//	tok, err := set.Token(ctx)
//	http.SetCookie(w, &http.Cookie{Name: "ryw", Value: tok})
func (s *Set) Token(ctx context.Context) (string, error) {
	tr, _ := ctx.Value(trackerKey{}).(*tracker)
	if tr == nil {
		return "", nil
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.take()
	if err := s.resolve(ctx, tr); err != nil {
		return "", err
	}
	if tr.perTable {
		return tableToken(tr.all, tr.tables), nil
	}
	return tr.pos.Token(), nil
}

// Resume returns a Track context whose reads see at least the position token holds (from
// Token, in an earlier request). A token that does not parse is an error; "" starts afresh.
//
//	c, _ := r.Cookie("ryw")
//	ctx, err := set.Resume(r.Context(), c.Value)
func (s *Set) Resume(ctx context.Context, token string) (context.Context, error) {
	if isTableToken(token) {
		all, tables, err := parseTableToken(token)
		if err != nil {
			return ctx, err
		}
		tr := &tracker{perTable: true, all: all, tables: tables, pos: all}
		for _, p := range tables {
			tr.pos = tr.later(tr.pos, p)
		}
		return context.WithValue(ctx, trackerKey{}, tr), nil
	}
	pos, err := ParseToken(token)
	if err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, trackerKey{}, &tracker{pos: pos}), nil
}
