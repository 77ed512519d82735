package replica

import (
	"context"
	"sync"
	"time"
)

// sample is the primary's position at a time, for lag.
type sample struct {
	at  time.Time
	pos Position
}

// maxSamples bounds the history of the primary's position: at the default interval, about
// eight minutes; a replica further behind reads as that far behind.
const maxSamples = 1024

func (s *Set) healthLoop() {
	defer s.done.Done()
	t := time.NewTicker(s.opts.HealthInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.kick:
		}
		ctx, cancel := context.WithTimeout(context.Background(), max(s.opts.HealthInterval, time.Second))
		s.check(ctx)
		cancel()
	}
}

// kickHealth asks for a health check now.
func (s *Set) kickHealth() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// check samples the primary's position, then checks every replica at once: its role, the
// position it has replayed, and its lag, which is how long ago the primary was first seen at
// a position the replica has not replayed (0 when it has replayed the latest sample).
func (s *Set) check(ctx context.Context) {
	pos, err := s.eng.primaryPosition(ctx, s.primary)
	if err != nil {
		s.rediscover(ctx)
	} else {
		s.mu.Lock()
		if len(s.samples) == 0 || !s.samples[len(s.samples)-1].pos.Covers(pos) {
			if len(s.samples) == maxSamples {
				s.samples = append(s.samples[:0], s.samples[1:]...)
			}
			s.samples = append(s.samples, sample{time.Now(), pos})
		}
		s.mu.Unlock()
	}
	var wg sync.WaitGroup
	for _, n := range s.nodes {
		wg.Go(func() { s.checkNode(ctx, n) })
	}
	wg.Wait()
}

func (s *Set) checkNode(ctx context.Context, n *node) {
	pos, ok, why, err := s.eng.probe(ctx, n.db)
	if err != nil {
		s.takeOut(n, "health check failed", "health check failed: "+err.Error())
		return
	}
	if !ok {
		s.takeOut(n, why, why)
		return
	}
	n.sawReplay(pos)
	lag := s.lagOf(*n.replay.Load())
	n.lag.Store(int64(lag))
	if s.opts.MaxLag > 0 && lag > s.opts.MaxLag {
		s.takeOut(n, "lag over MaxLag", "lag "+lag.Round(time.Millisecond).String()+" is over MaxLag "+s.opts.MaxLag.String())
		return
	}
	if n.usable.Load() {
		return
	}
	// Hysteresis: back only within half of MaxLag, Rise checks in a row. good and why are
	// shared with takeOut, which a failed read calls from any goroutine.
	s.mu.Lock()
	if s.opts.MaxLag > 0 && lag > s.opts.MaxLag/2 {
		n.good = 0
		s.mu.Unlock()
		return
	}
	n.good++
	back := n.good >= s.opts.Rise
	if back {
		n.why, n.cause, n.good = "", "", 0
		n.usable.Store(true)
	}
	s.mu.Unlock()
	if back {
		s.log.Info("replica: back in", "server", n.name, "lag", lag)
	}
}

// lagOf is how far behind the primary a replica at pos is.
func (s *Set) lagOf(pos Position) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, smp := range s.samples {
		if !pos.Covers(smp.pos) {
			return time.Since(smp.at)
		}
	}
	return 0
}

// takeOut stops reads going to n until it passes Rise health checks in a row. why is what
// Status reports; cause is why without the figures that change from one check to the next
// (a lag, an error's text), so that a replica staying out for one cause is logged once, not
// at every check, and again when the cause changes.
func (s *Set) takeOut(n *node, cause, why string) {
	s.mu.Lock()
	n.good = 0
	changed := n.cause != cause
	n.why, n.cause = why, cause
	s.mu.Unlock()
	if n.usable.Swap(false) || changed {
		s.log.Info("replica: out", "server", n.name, "why", why)
	}
}

// sawReplay records that n has replayed pos, keeping the furthest position seen.
func (n *node) sawReplay(pos Position) {
	for {
		old := n.replay.Load()
		if old.Covers(pos) && !old.IsZero() {
			return
		}
		p := pos
		if n.replay.CompareAndSwap(old, &p) {
			return
		}
	}
}

// Status is what the health checks know of one replica.
type Status struct {
	Server string        // the replica's URL, without its password
	Usable bool          // it takes reads
	Lag    time.Duration // how far behind the primary it was at the last check
	Why    string        // why it is out, "" when usable
}

// Status reports every replica's state, in the order New got them.
func (s *Set) Status() []Status {
	out := make([]Status, len(s.nodes))
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, n := range s.nodes {
		out[i] = Status{Server: n.name, Usable: n.usable.Load(), Lag: time.Duration(n.lag.Load()), Why: n.why}
	}
	return out
}
