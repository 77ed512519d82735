//go:build race

package builder_test

// raceEnabled: the race detector is on. It makes sync.Pool drop a share of what is put in it
// at random, so a render sometimes allocates a new pooled writer: exact allocation counts of
// rendering mean nothing then.
const raceEnabled = true
