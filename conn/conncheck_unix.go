//go:build unix

package conn

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
	rerr := rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK)
		// Data (n > 0), EOF (n == 0, no error) and socket errors all mean the connection
		// must be checked; only "would block" means a quiet, live socket.
		pending = !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR)
		return true // never wait for readability
	})
	return pending || rerr != nil
}
