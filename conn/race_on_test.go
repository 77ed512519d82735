//go:build race

package conn_test

// raceEnabled: the race detector is on. It makes sync.Pool drop a share of what is put in it
// at random, so allocation counts of code that reuses objects through a pool mean nothing.
const raceEnabled = true
