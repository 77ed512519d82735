package replica

import (
	"context"
	"sync"
)

// tracker is one read-your-writes session: whether it wrote since its position was last
// read, and that position.
type tracker struct {
	mu    sync.Mutex
	dirty bool
	pos   Position
}

type trackerKey struct{}

// Track returns a context with read-your-writes: after a statement made with it goes to the
// primary (a write, a block), a later read made with it goes to a replica that has replayed
// the primary's position as of that read, waits up to Options.ReadYourWritesWait for one
// (polling pg_last_wal_replay_lsn(), or MASTER_GTID_WAIT), or goes to the primary. The
// position is read from the primary (pg_current_wal_lsn(), @@gtid_binlog_pos) once, at the
// first read after a write. Reads stay at or after that position (monotonic reads).
//
//	ctx = replica.Track(ctx)
//	set.Exec(ctx, builder.InsertInto(Users).Values(Users.Name.Set("ann")))             // primary
//	u, err := conn.One[User](ctx, set.DB, builder.Select(Users.ID, Users.Name).From(Users).
//		Where(Users.Name.Eq("ann")))                                                   // sees ann
//
// A context already tracking is returned as it is. Carry the session across requests with
// Set.Token and Set.Resume.
func Track(ctx context.Context) context.Context {
	if _, ok := ctx.Value(trackerKey{}).(*tracker); ok {
		return ctx
	}
	return context.WithValue(ctx, trackerKey{}, &tracker{})
}

func noteWrite(ctx context.Context) {
	if tr, ok := ctx.Value(trackerKey{}).(*tracker); ok {
		tr.mu.Lock()
		tr.dirty = true
		tr.mu.Unlock()
	}
}

// needed is the position a read made with ctx must see (zero outside Track); ok is false when
// the session wrote and the primary's position cannot be read now.
func (s *Set) needed(ctx context.Context) (Position, bool) {
	tr, _ := ctx.Value(trackerKey{}).(*tracker)
	if tr == nil {
		return Position{}, true
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.dirty {
		pos, err := s.eng.primaryPosition(ctx, s.primary)
		if err != nil {
			return Position{}, false
		}
		tr.pos, tr.dirty = pos, false
	}
	return tr.pos, true
}

// Token returns the read-your-writes position of a Track context as text to carry in a
// cookie or a header (see Resume): "" when the session has not written.
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
	if tr.dirty {
		pos, err := s.eng.primaryPosition(ctx, s.primary)
		if err != nil {
			return "", err
		}
		tr.pos, tr.dirty = pos, false
	}
	return tr.pos.Token(), nil
}

// Resume returns a Track context whose reads see at least the position token holds (from
// Token, in an earlier request). A token that does not parse is an error; "" starts afresh.
//
//	c, _ := r.Cookie("ryw")
//	ctx, err := set.Resume(r.Context(), c.Value)
func (s *Set) Resume(ctx context.Context, token string) (context.Context, error) {
	pos, err := ParseToken(token)
	if err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, trackerKey{}, &tracker{pos: pos}), nil
}
