//go:build unix

package bench

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the benchmark process has used, user and system, across all its
// threads: the client's share of a round trip, which the servers' scheduling on a shared
// machine does not blur as it blurs wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-ns/op, the process's CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; start > 0 && b.N > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
