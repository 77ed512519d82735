package conn_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// gateProxy is a TCP proxy in front of a real database server that holds every connection it
// accepts, without a byte either way, until the test opens its gate: a connect as slow as the
// test wants, decided by the test and not by the clock. A gate never opened is a server that
// accepts and never answers.
type gateProxy struct {
	ln     net.Listener
	target string
	// arrived gets one element per connection accepted (it has room for plenty).
	arrived chan struct{}
	gate    chan struct{}
	once    sync.Once
	stopped chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   []net.Conn
}

// newGateProxy starts a proxy to the server of the database URL dbURL and returns it with
// dbURL pointed at it. The test's cleanup stops it and waits for its goroutines.
func newGateProxy(t *testing.T, dbURL string) (*gateProxy, string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &gateProxy{ln: ln, target: u.Host, arrived: make(chan struct{}, 1000), gate: make(chan struct{}), stopped: make(chan struct{})}
	p.wg.Go(p.accept)
	t.Cleanup(p.stop)
	u.Host = ln.Addr().String()
	return p, u.String()
}

// open lets the connections held so far, and all later ones, through to the server.
func (p *gateProxy) open() { p.once.Do(func() { close(p.gate) }) }

func (p *gateProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			return
		}
		select {
		case p.arrived <- struct{}{}:
		default:
		}
		p.wg.Go(func() { p.serve(c) })
	}
}

// track records c for stop, or closes it and reports false when the proxy has stopped.
func (p *gateProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.stopped:
		c.Close()
		return false
	default:
	}
	p.conns = append(p.conns, c)
	return true
}

func (p *gateProxy) serve(c net.Conn) {
	select {
	case <-p.gate:
	case <-p.stopped:
		return
	}
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(s) {
		c.Close()
		return
	}
	both := func() {
		c.Close()
		s.Close()
	}
	p.wg.Go(func() {
		_, _ = io.Copy(s, c)
		both()
	})
	_, _ = io.Copy(c, s)
	both()
}

func (p *gateProxy) stop() {
	p.mu.Lock()
	close(p.stopped)
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	p.ln.Close()
	for _, c := range conns {
		c.Close()
	}
	p.wg.Wait()
}
