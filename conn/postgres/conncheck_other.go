//go:build !unix

package postgres

import "net"

// socketHasPending cannot peek at a socket on this platform; pgxpool's own ping after a
// second idle is the only check there.
func socketHasPending(net.Conn) bool { return false }
