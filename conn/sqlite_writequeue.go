package conn

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"
)

// The SQLite write queue. SQLite lets one connection write a database at a time, and a
// connection that finds the write lock taken does not queue for it: its busy handler sleeps
// (1, 2, 5, ... up to 100 ms) and tries again, until busy_timeout runs out. A writer that
// loops takes the lock again microseconds after its COMMIT, so a poller can keep missing
// those gaps and fail with "database is locked" while the database was never stuck. In the
// process, conn queues writers itself, first come first served (give or take starveAfter), so
// that a writer waits for the writers ahead of it and no longer.
//
// The queue is one lock per database file, process-wide, shared by every DB conn opened on
// that file. What takes it, and for how long, is in sqlite_writehold.go. The lock is always
// taken by a goroutine that already holds its connection, never the other way round, so the
// queue and the pool cannot wait for each other.
//
// A waiter gives up, with an error that reads like SQLite's own and matches ErrSerialization
// as SQLITE_BUSY does, when the lock has not changed hands for the DB's busy_timeout: the
// writer ahead is stuck (a block waiting for a write it made with another context, a block
// left open). A long queue that moves is not an error: the bound is on how long one writer
// holds the lock, not on how many are ahead, since the queue already makes each wait only as
// long as the work ahead of it. The context bounds the whole wait.
//
// Writers in other processes, connections conn did not open (FromSQL) and a connection's
// init hooks are not queued: there SQLite's busy_timeout applies as before.

// sqliteFile is what the DBs of one database file share in the process.
type sqliteFile struct {
	key  string // the file's absolute path, or the in-memory database's name
	name string // how errors name it
	refs int    // DBs open on it; guarded by sqliteFiles.mu

	mu      sync.Mutex
	held    bool
	waiters []*writeWaiter // in the order they came; the first is woken when the lock comes free
	moves   uint64         // times the lock was given back, to tell a moving queue from a stuck one

	// connect lets one connection at a time open the file (see oneAtATime).
	connect chan struct{}
}

// writeWaiter is one goroutine waiting for the write lock, pooled with its channel and timer.
// Its fields are guarded by the file's mutex.
type writeWaiter struct {
	// ready is signalled (it has room for one signal) when the waiter should look at the
	// lock again: it was handed the lock (granted), or the lock came free.
	ready    chan struct{}
	t        *time.Timer
	since    time.Time // when it came
	granted  bool
	starving bool // it waited starveAfter and lost the lock to a newcomer: hand it over
}

var writeWaiters = sync.Pool{New: func() any {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &writeWaiter{ready: make(chan struct{}, 1), t: t}
}}

// starveAfter is how long a waiter lets newcomers take the lock ahead of it. Until then a
// writer that gives the lock back and at once wants it again (a loop of short writes) takes
// it without waking the waiter and switching to it, which keeps the throughput of contended
// writes at what SQLite's own lock gives; after it, the lock goes to the first waiter
// directly, first come first served, as sync.Mutex does in its starvation mode.
const starveAfter = time.Millisecond

var sqliteFiles = struct {
	mu sync.Mutex
	m  map[string]*sqliteFile
}{m: map[string]*sqliteFile{}}

// openSQLiteFile returns the shared state of a database file (path) or of a named in-memory
// database (memName), counting one more DB on it; closeSQLiteFile undoes that.
func openSQLiteFile(path, memName string) (*sqliteFile, error) {
	key, name := "memdb:"+memName, "the in-memory database"
	if memName == "" {
		abs, err := filepath.Abs(path) // cleaned, so a/../b.db and ./b.db are one file
		if err != nil {
			return nil, fmt.Errorf("conn: sqlite database %s: %w", path, err)
		}
		key, name = abs, abs
	}
	sqliteFiles.mu.Lock()
	defer sqliteFiles.mu.Unlock()
	f := sqliteFiles.m[key]
	if f == nil {
		f = &sqliteFile{key: key, name: name, connect: make(chan struct{}, 1)}
		sqliteFiles.m[key] = f
	}
	f.refs++
	return f, nil
}

func closeSQLiteFile(f *sqliteFile) {
	sqliteFiles.mu.Lock()
	defer sqliteFiles.mu.Unlock()
	if f.refs--; f.refs == 0 {
		delete(sqliteFiles.m, f.key)
	}
}

// writeQueue is one DB's way into its file's write lock: the file, and how long this DB lets
// the lock stay with one writer while it waits (its busy_timeout).
type writeQueue struct {
	f    *sqliteFile
	wait time.Duration
}

// lock takes the file's write lock, after the writers that came before (see starveAfter).
func (q *writeQueue) lock(ctx context.Context) error {
	f := q.f
	f.mu.Lock()
	if !f.held {
		f.held = true
		f.mu.Unlock()
		return nil
	}
	if ctx.Err() != nil {
		f.mu.Unlock()
		return q.cancelled(ctx)
	}
	w := writeWaiters.Get().(*writeWaiter)
	w.since, w.granted, w.starving = time.Now(), false, false
	f.waiters = append(f.waiters, w)
	seen := f.moves
	f.mu.Unlock()

	w.t.Reset(q.wait)
	defer func() {
		w.t.Stop()
		select { // a signal sent after the waiter stopped looking
		case <-w.ready:
		default:
		}
		writeWaiters.Put(w)
	}()
	for {
		select {
		case <-w.ready:
			f.mu.Lock()
			if f.takeLocked(w) {
				f.mu.Unlock()
				return nil
			}
			// A newcomer took the lock first: wait on, first in line.
			w.starving = time.Since(w.since) >= starveAfter
			f.mu.Unlock()
		case <-w.t.C:
			f.mu.Lock()
			switch {
			case f.takeLocked(w):
				f.mu.Unlock()
				return nil
			case f.moves != seen: // the lock moved: wait for the next writer ahead
				seen = f.moves
				f.mu.Unlock()
				w.t.Reset(q.wait)
				continue
			}
			f.leaveLocked(w)
			f.mu.Unlock()
			return &Error{
				Class: ErrSerialization,
				Code:  "5", // SQLITE_BUSY, which SQLite's own wait for a lock ends with
				msg: fmt.Sprintf("database is locked: the write lock of %s stayed with one writer for busy_timeout (%s) "+
					"while this one waited in the process's write queue (is a block waiting for a write made with "+
					"another context, or held open?)", f.name, q.wait),
			}
		case <-ctx.Done():
			f.mu.Lock()
			if w.granted {
				f.unlockLocked() // handed over meanwhile: pass it on
			} else {
				f.leaveLocked(w)
			}
			f.mu.Unlock()
			return q.cancelled(ctx)
		}
	}
}

// takeLocked reports whether w now holds the lock: handed over to it, or free for the
// taking (w is then first in line, the one woken).
func (f *sqliteFile) takeLocked(w *writeWaiter) bool {
	if w.granted {
		return true
	}
	if f.held {
		return false
	}
	f.held = true
	f.leaveLocked(w)
	return true
}

func (q *writeQueue) cancelled(ctx context.Context) error {
	return fmt.Errorf("conn: waiting for the write lock of %s: %w", q.f.name, context.Cause(ctx))
}

// unlock gives the write lock back (see starveAfter).
func (q *writeQueue) unlock() {
	q.f.mu.Lock()
	q.f.unlockLocked()
	q.f.mu.Unlock()
}

// unlockLocked hands the lock to the first waiter if it has waited long enough; otherwise it
// frees the lock and wakes that waiter to take it, if no newcomer does first.
func (f *sqliteFile) unlockLocked() {
	f.moves++
	if len(f.waiters) == 0 {
		f.held = false
		return
	}
	w := f.waiters[0]
	if w.starving {
		f.leaveLocked(w)
		w.granted = true // held stays set: the lock goes straight to w
	} else {
		f.held = false
	}
	signal(w)
}

// leaveLocked takes w out of the line. If the lock is free, the next in line is woken to take
// it: w may have been woken for that and be leaving instead.
func (f *sqliteFile) leaveLocked(w *writeWaiter) {
	for i, o := range f.waiters {
		if o == w {
			copy(f.waiters[i:], f.waiters[i+1:])
			f.waiters[len(f.waiters)-1] = nil
			f.waiters = f.waiters[:len(f.waiters)-1]
			break
		}
	}
	if !f.held && len(f.waiters) > 0 {
		signal(f.waiters[0])
	}
}

// signal wakes w, unless a wake-up is pending already.
func signal(w *writeWaiter) {
	select {
	case w.ready <- struct{}{}:
	default:
	}
}

// waiting reports how many writers wait for the lock (for tests).
func (f *sqliteFile) waiting() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}
