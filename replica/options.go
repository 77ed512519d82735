package replica

import (
	"log/slog"
	"time"
)

// Policy chooses among the usable replicas for a read.
type Policy int

const (
	// RoundRobin takes the usable replicas in turn (the default).
	RoundRobin Policy = iota
	// Random takes a usable replica at random.
	Random
	// LeastLag takes the usable replica with the smallest lag, in turn among equals.
	LeastLag
)

func (p Policy) String() string {
	switch p {
	case RoundRobin:
		return "round-robin"
	case Random:
		return "random"
	case LeastLag:
		return "least-lag"
	}
	return "Policy(?)"
}

// Fallback says what a read does when no replica is usable.
type Fallback int

const (
	// FallbackPrimary sends the read to the primary, at most FallbackRate reads a second (the
	// default).
	FallbackPrimary Fallback = iota
	// FallbackFail fails the read with an error matching ErrNoReplica.
	FallbackFail
)

// Options tune a Set. The zero value is round-robin over replicas that answer, with no lag
// limit, reads falling back to the primary without limit, health checks every 500 ms.
type Options struct {
	// Policy chooses among the usable replicas.
	Policy Policy
	// MaxLag takes a replica out of reads while it is further behind the primary than this;
	// it comes back once it has been within MaxLag/2 for Rise health checks in a row. 0 is no
	// limit (a replica is out only while it fails or is not a replica).
	MaxLag time.Duration
	// HealthInterval is the time between two health checks of every replica (default 500 ms).
	HealthInterval time.Duration
	// Rise is how many health checks in a row a replica that was out must pass to take reads
	// again (default 2). A failed check, or a read that failed on it, takes it out at once.
	Rise int
	// Fallback is what a read does when no replica is usable.
	Fallback Fallback
	// FallbackRate bounds the reads a second that FallbackPrimary sends to the primary, so
	// that replicas all lagging cannot pile every read onto it; reads over it fail with
	// ErrNoReplica. 0 is no bound.
	FallbackRate float64
	// ReadYourWritesWait bounds how long a read in a Track context waits for a replica to
	// replay the session's last write before it goes to the primary (default 200 ms; a
	// negative value does not wait).
	ReadYourWritesWait time.Duration
	// Logger gets the set's decisions: replicas taken out and put back (info), and at debug
	// level the server each statement was routed to, with its lag. Default slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.HealthInterval <= 0 {
		o.HealthInterval = 500 * time.Millisecond
	}
	if o.Rise <= 0 {
		o.Rise = 2
	}
	if o.ReadYourWritesWait == 0 {
		o.ReadYourWritesWait = 200 * time.Millisecond
	}
	return o
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}
