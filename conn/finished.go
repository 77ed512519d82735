package conn

import (
	"context"
	"slices"
	"sync"
)

// finisherView is view when its router is a Finisher, else nil: only those views are told
// when their statements are done, so that other routers cost a statement one nil check.
func finisherView(view *DB) *DB {
	if view == nil {
		return nil
	}
	if _, ok := view.router.(Finisher); !ok {
		return nil
	}
	return view
}

// finish tells the Finisher that routed t's statement, if any, that the statement is done.
func (t *target) finish(ctx context.Context, stmt Statement, err error) {
	finished(ctx, t.fin, stmt, err)
}

// finished tells fin's router, a Finisher, that stmt is done; nothing when fin is nil (see
// finisherView).
func finished(ctx context.Context, fin *DB, stmt Statement, err error) {
	if fin != nil {
		fin.router.(Finisher).Finished(ctx, fin, stmt, err)
	}
}

// lookupTarget is targetFor for a caller that asks where stmt would run only to learn its
// dialect, and runs it by other means (Exec, Query, an Atomic block): the ask is finished at
// once, for a Finisher hears of each statement it routed once (see Finisher).
func (db *DB) lookupTarget(ctx context.Context, stmt Statement) (target, error) {
	t, err := db.targetFor(ctx, stmt)
	if err == nil {
		t.finish(ctx, stmt, nil)
	}
	return t, err
}

// settling is the routed views whose routers (Finishers) routed statements onto a pinned
// connection since its work last settled, to be told when it does (Finisher.Settled). The
// zero value is empty and ready.
type settling struct {
	mu    sync.Mutex
	views []*DB
}

// add records that view's router routed a statement onto the connection.
func (s *settling) add(view *DB) {
	s.mu.Lock()
	if !slices.Contains(s.views, view) {
		s.views = append(s.views, view)
	}
	s.mu.Unlock()
}

// settled tells the recorded views' routers that the work has been committed or rolled back,
// with ctx, the context the block was begun with, and forgets them.
func (s *settling) settled(ctx context.Context) {
	s.mu.Lock()
	views := s.views
	s.views = nil
	s.mu.Unlock()
	for _, v := range views {
		v.router.(Finisher).Settled(ctx, v)
	}
}

// settling is where a statement pinned to sc is recorded for Finisher.Settled: the
// transaction's, whose end settles what a block wrote (nested blocks share it), or the
// scope's own (WithConn, a Session between transactions), settled when the scope ends.
func (sc *scope) settling() *settling {
	if sc.block != nil {
		return &sc.block.st.fins
	}
	return &sc.fins
}
