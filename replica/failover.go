package replica

import (
	"context"
	"time"
)

// rediscover looks for the primary when the one the set writes to is down or read-only: if
// it still takes writes nothing changes; otherwise the one replica that now takes writes (a
// promoted standby: pg_is_in_recovery() false, or MariaDB's @@read_only OFF) becomes the DB
// writes go to. With none, or more than one (split brain), nothing changes and writes keep
// failing until an operator acts or the next check finds one.
func (s *Set) rediscover(ctx context.Context) {
	if !s.redisc.TryLock() {
		return // another goroutine is at it
	}
	defer s.redisc.Unlock()
	cctx, cancel := context.WithTimeout(ctx, max(s.opts.HealthInterval, time.Second))
	defer cancel()
	if ok, _ := s.eng.writable(cctx, s.primary); ok {
		return
	}
	current := s.proxy.Target()
	var found *node
	for _, n := range s.nodes {
		if n.db == current {
			continue
		}
		if ok, _ := s.eng.writable(cctx, n.db); ok {
			if found != nil {
				s.log.Warn("replica: more than one replica takes writes; keeping the primary", "a", found.name, "b", n.name)
				return
			}
			found = n
		}
	}
	if found == nil {
		return
	}
	if _, err := s.proxy.Set(found.db); err != nil {
		s.log.Warn("replica: cannot write to the promoted replica", "server", found.name, "error", err)
		return
	}
	s.takeOut(found, "promoted", "it was promoted: it is the primary now")
	s.log.Warn("replica: failover: writes go to the promoted replica now", "primary", found.name, "was", current.String())
}
