package conn_test

import (
	"bytes"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// commitFault is what a faultProxy does to the first COMMIT a client sends once armed.
type commitFault int

const (
	// loseReply forwards the COMMIT, waits until the server's reply has reached the proxy,
	// discards it and closes both sides: the work is committed, the client cannot know.
	loseReply commitFault = iota + 1
	// dropCommit closes both sides without forwarding the COMMIT: nothing is committed, and
	// the client cannot know that either.
	dropCommit
	// stallCommit drops the COMMIT and closes the client's side only: the server, which
	// still has its connection open, waits for the COMMIT with the transaction in progress.
	stallCommit
)

// faultProxy is a TCP proxy in front of a real database server (a network fault, not a mock):
// it forwards every byte both ways until armed, then breaks the connection on which a client
// sends COMMIT. It acts on bytes seen, never on time, so tests using it do not depend on the
// machine's speed.
type faultProxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	armed   commitFault
	marker  []byte // what the armed fault waits for the client to send: COMMIT unless armOn
	isolate bool   // at the fault, also close every other connection and refuse new ones
	closed  bool
	pairs   map[*proxyPair]struct{}
	fired   chan struct{}
	wg      sync.WaitGroup
}

// proxyPair is one client connection and its connection to the server.
type proxyPair struct {
	client, server net.Conn
	// discard: the COMMIT went to the server, and whatever it sends now is its reply.
	discard atomic.Bool
	once    sync.Once
}

func (pp *proxyPair) close() {
	pp.once.Do(func() {
		pp.client.Close()
		pp.server.Close()
	})
}

// newFaultProxy starts a proxy to the server of the database URL dbURL and returns it with
// dbURL pointed at the proxy. The test's cleanup stops it and waits for its goroutines.
func newFaultProxy(t *testing.T, dbURL string) (*faultProxy, string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: u.Host, pairs: map[*proxyPair]struct{}{}, fired: make(chan struct{})}
	p.wg.Go(p.accept)
	t.Cleanup(p.stop)
	u.Host = ln.Addr().String()
	return p, u.String()
}

// arm makes the proxy do f to the next COMMIT; with isolate it also cuts every other
// connection and refuses new ones then, as if the server had become unreachable.
func (p *faultProxy) arm(f commitFault, isolate bool) { p.armOn("COMMIT", f, isolate) }

// armOn makes the proxy do f (to the statement rather than a COMMIT) when the client next
// sends a statement containing marker.
func (p *faultProxy) armOn(marker string, f commitFault, isolate bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed, p.isolate, p.marker = f, isolate, []byte(marker)
	p.fired = make(chan struct{})
}

// didFire reports whether the armed fault has happened.
func (p *faultProxy) didFire() bool {
	p.mu.Lock()
	fired := p.fired
	p.mu.Unlock()
	select {
	case <-fired:
		return true
	default:
		return false
	}
}

func (p *faultProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // stopped, or isolated
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		pp := &proxyPair{client: c, server: s}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			pp.close()
			continue
		}
		p.pairs[pp] = struct{}{}
		p.mu.Unlock()
		p.wg.Go(func() { p.clientToServer(pp) })
		p.wg.Go(func() { p.serverToClient(pp) })
	}
}

func (p *faultProxy) clientToServer(pp *proxyPair) {
	stalled := false
	defer func() {
		if !stalled {
			pp.close()
		}
	}()
	buf := make([]byte, 64<<10)
	var tail []byte // the end of the previous read, in case COMMIT straddles two reads
	for {
		n, err := pp.client.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			window := append(tail, chunk...)
			if f := p.takeIfIn(window); f != 0 {
				switch f {
				case dropCommit:
					p.fault(pp)
					return
				case stallCommit:
					stalled = true
					p.stall(pp)
					return
				case loseReply:
					pp.discard.Store(true) // before the server can have answered
				}
			}
			tail = append(tail[:0], window[max(0, len(window)-5):]...)
			if _, err := pp.server.Write(chunk); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *faultProxy) serverToClient(pp *proxyPair) {
	defer pp.close()
	buf := make([]byte, 64<<10)
	for {
		n, err := pp.server.Read(buf)
		if n > 0 {
			if pp.discard.Load() {
				p.fault(pp) // the COMMIT's reply is here: lose it
				return
			}
			if _, err := pp.client.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// takeIfIn disarms the proxy and returns its fault if window holds the marker it waits for.
func (p *faultProxy) takeIfIn(window []byte) commitFault {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.armed == 0 || !bytes.Contains(window, p.marker) {
		return 0
	}
	f := p.armed
	p.armed = 0
	return f
}

// fault breaks pp; isolated, the proxy stops accepting and cuts every other connection
// first, so that by the time the client sees its connection break, none can reach the server.
func (p *faultProxy) fault(pp *proxyPair) {
	p.mu.Lock()
	if p.isolate {
		p.closed = true
		p.ln.Close()
		for o := range p.pairs {
			o.close()
		}
	}
	close(p.fired)
	p.mu.Unlock()
	pp.close()
}

// stall closes pp's client side only; stop closes the server's side.
func (p *faultProxy) stall(pp *proxyPair) {
	p.mu.Lock()
	close(p.fired)
	p.mu.Unlock()
	pp.client.Close()
}

func (p *faultProxy) stop() {
	p.mu.Lock()
	p.closed = true
	p.ln.Close()
	for o := range p.pairs {
		o.close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
