package redistest

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"
)

// Fault is what a Proxy does to the one command it is armed for.
type Fault int

// The faults a Proxy injects.
const (
	// LoseAnswer forwards the command, drops Redis's answer and closes
	// the client's connection: the command ran, the client cannot know.
	LoseAnswer Fault = iota + 1
	// LoseCommand keeps the command from Redis (Held returns it) and
	// closes the client's connection: the command did not run, the client
	// cannot know.
	LoseCommand
	// DelayAnswer forwards the command and holds Redis's answer back for
	// Injection.Delay (past the client's read timeout).
	DelayAnswer
)

// Injection is the fault a Proxy injects into one command.
type Injection struct {
	// Marker picks the command: the first whose bytes contain it.
	Marker string
	Fault  Fault
	// Delay is how long DelayAnswer holds the answer back.
	Delay time.Duration
	// ThenDown makes the proxy go down (SetDown) as it injects a lost
	// answer or command: the client cannot reach Redis afterwards.
	ThenDown bool
}

// Proxy is a TCP proxy in front of a redis-server that injects one fault
// into the first command whose bytes contain a marker: the connection
// dropping before or after Redis ran it, or its answer coming too late.
// Every other command goes through as is. While down it closes every
// connection, as a dead Redis would.
type Proxy struct {
	// URL is the proxy's address as --state takes it.
	URL    string
	ln     net.Listener
	target string

	mu    sync.Mutex
	armed *Injection
	held  []byte
	hit   chan struct{} // closed when the armed fault was injected
	down  bool
	conns map[net.Conn]bool
}

// StartProxy starts a proxy in front of r; it stops when the test ends.
func StartProxy(t testing.TB, r *Server) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{URL: "redis://" + ln.Addr().String() + "/0", ln: ln, target: r.Addr, conns: map[net.Conn]bool{}}
	go p.accept()
	t.Cleanup(func() { _ = ln.Close(); p.SetDown(true) })
	return p
}

// Arm makes the proxy inject in into the next command containing its
// marker. The returned channel is closed once it did.
func (p *Proxy) Arm(in Injection) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed, p.held = &in, nil
	p.hit = make(chan struct{})
	return p.hit
}

// Held returns the command a LoseCommand fault kept from Redis (its bytes
// as the client sent them), nil before.
func (p *Proxy) Held() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// SetDown takes the proxy down (every connection is closed, new ones at
// once) or brings it back up.
func (p *Proxy) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		p.closeAllLocked()
	}
}

func (p *Proxy) closeAllLocked() {
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// take returns the injection for a chunk of client bytes, disarming the
// proxy when the chunk carries the marker.
func (p *Proxy) take(chunk []byte) *Injection {
	p.mu.Lock()
	defer p.mu.Unlock()
	in := p.armed
	if in == nil || !bytes.Contains(chunk, []byte(in.Marker)) {
		return nil
	}
	p.armed = nil
	if in.Fault == LoseCommand {
		p.held = bytes.Clone(chunk)
	}
	close(p.hit)
	return in
}

// lost ends a connection whose command or answer an injection lost.
func (p *Proxy) lost(in *Injection, closeBoth func()) {
	if in.ThenDown {
		p.SetDown(true)
	}
	closeBoth()
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.serve(c)
	}
}

// track registers a live connection; it reports false (and closes it)
// while the proxy is down.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		_ = c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

// serve copies one client connection to Redis and back, injecting the
// armed fault.
func (p *Proxy) serve(client net.Conn) {
	if !p.track(client) {
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(server) {
		_ = client.Close()
		return
	}
	var (
		mu  sync.Mutex
		inj *Injection // the fault on this connection's answer
	)
	closeBoth := func() {
		_ = client.Close()
		_ = server.Close()
		p.mu.Lock()
		delete(p.conns, client)
		delete(p.conns, server)
		p.mu.Unlock()
	}
	go func() { // Redis → client
		defer closeBoth()
		buf := make([]byte, 64<<10)
		for {
			n, err := server.Read(buf)
			if n > 0 {
				mu.Lock()
				in := inj
				inj = nil
				mu.Unlock()
				if in != nil && in.Fault == LoseAnswer {
					p.lost(in, closeBoth) // the answer goes with the connection
					return
				}
				if in != nil && in.Fault == DelayAnswer {
					time.Sleep(in.Delay)
				}
				if _, err := client.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	defer closeBoth()
	buf := make([]byte, 64<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			in := p.take(buf[:n])
			if in != nil && in.Fault == LoseCommand {
				p.lost(in, closeBoth)
				return
			}
			if in != nil {
				mu.Lock()
				inj = in
				mu.Unlock()
			}
			if _, err := server.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Send writes raw command bytes (e.g. Held) to Redis on a new connection
// and returns the first bytes of its answer: a command arriving late.
func (r *Server) Send(t testing.TB, raw []byte) string {
	t.Helper()
	c, err := net.Dial("tcp", r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(raw); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("reading Redis's answer: %v", err)
	}
	return string(buf[:n])
}
