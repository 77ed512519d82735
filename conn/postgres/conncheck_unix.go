//go:build unix

package postgres

import (
	"crypto/tls"
	"errors"
	"net"
	"syscall"
)

// socketHasPending reports whether c's socket has bytes or end-of-file waiting to be read,
// without reading them. An idle PostgreSQL connection has nothing to read unless the server
// spoke on its own: the FATAL message of a terminated session (then EOF), or a LISTEN
// notification. It costs one non-blocking recv(MSG_PEEK).
//
// It runs through RawConn.Control, not RawConn.Read: Read takes the descriptor's read lock,
// which pgx's background reader can hold on an idle connection (it stays parked in a Read
// after a slow write until the server next sends something), and would then wait for it
// forever. Control takes no lock, and the descriptor is non-blocking, so the peek returns at
// once whatever else is going on.
func socketHasPending(c net.Conn) bool {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	pending := false
	var buf [1]byte
	cerr := rc.Control(func(fd uintptr) {
		_, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// Data (n > 0), EOF (n == 0, no error) and socket errors all mean the connection
		// must be checked; only "would block" means a quiet, live socket.
		pending = !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR)
	})
	return pending || cerr != nil
}
