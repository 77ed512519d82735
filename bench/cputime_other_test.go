//go:build !unix

package bench

import (
	"testing"
	"time"
)

// cpuTime is unknown here: the benchmarks report wall time only.
func cpuTime() time.Duration { return 0 }

func reportCPU(*testing.B, time.Duration) {}
