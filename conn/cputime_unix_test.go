//go:build unix

package conn_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the test process has used, user and system, across all threads:
// the client's share of a benchmark, which the database server's scheduling does not blur.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
