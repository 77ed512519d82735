//go:build unix

package postgres

import (
	"net"
	"testing"
	"time"
)

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

func TestSocketHasPending(t *testing.T) {
	client, server := tcpPair(t)
	if socketHasPending(client) {
		t.Error("a quiet socket reported pending")
	}
	server.Write([]byte("E"))
	time.Sleep(20 * time.Millisecond)
	if !socketHasPending(client) {
		t.Error("a socket with a byte waiting reported quiet")
	}
	buf := make([]byte, 1)
	if n, _ := client.Read(buf); n != 1 || buf[0] != 'E' {
		t.Errorf("the peek consumed the byte: read %q", buf[:n])
	}
	server.Close()
	time.Sleep(20 * time.Millisecond)
	if !socketHasPending(client) {
		t.Error("a socket at EOF reported quiet")
	}
}

// pgx's background reader can sit in a Read on an idle connection; the check must not wait
// for it (it once did, through RawConn.Read and the descriptor's read lock).
func TestSocketHasPendingBesideABlockedRead(t *testing.T) {
	client, server := tcpPair(t)
	readDone := make(chan struct{})
	go func() {
		buf := make([]byte, 1)
		client.Read(buf) // parked until the server writes
		close(readDone)
	}()
	time.Sleep(20 * time.Millisecond)
	done := make(chan bool, 1)
	go func() { done <- socketHasPending(client) }()
	select {
	case pending := <-done:
		if pending {
			t.Error("a quiet socket reported pending")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("socketHasPending blocked behind another goroutine's Read")
	}
	server.Write([]byte("x"))
	<-readDone
}
