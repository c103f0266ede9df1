//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileSpecs: a --spec that is not a regular file, larger than the
// cap or with a $ref out of its folder is refused at once (exit 2, the
// file and the place named, never opened for a blocking read); a
// multi-file spec starts; and a signal ends each start-up within a
// second.
func TestHostileSpecs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.yaml")
	if f, err := os.Create(huge); err == nil {
		_ = f.Truncate(100 << 20) // sparse: 100 MiB on paper
		f.Close()
	}
	const doc = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /notes/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"%s\"}}}}\n"
	outside := write("api/outside.yaml", strings.Replace(doc, "%s", "../schemas.yaml#/Note", 1))
	write("multi/schemas.yaml", "Note: {type: object, required: [id], properties: {id: {type: integer}}}\n")
	multi := write("multi/openapi.yaml", strings.Replace(doc, "%s", "schemas.yaml#/Note", 1))
	// recursive schemas (issue: a required self-reference overflowed the
	// stack after seconds at about 1 GiB): each starts, generated to a
	// bounded depth
	const recDoc = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /notes:\n    get:\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: \"#/components/schemas/Note\"}}}}}\n  /notes/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Note\"}}}}\n  /other:\n    get:\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Note\"}}}}\ncomponents:\n  schemas:\n"
	selfRef := write("rec/self.yaml", recDoc+"    Note: {type: object, required: [id, parent], properties: {id: {type: integer}, parent: {$ref: \"#/components/schemas/Note\"}}}\n")
	mutual := write("rec/mutual.yaml", recDoc+"    Note: {type: object, required: [id, other], properties: {id: {type: integer}, other: {$ref: \"#/components/schemas/Other\"}}}\n    Other: {type: object, required: [note], properties: {note: {$ref: \"#/components/schemas/Note\"}}}\n")
	chain := recDoc + "    Note: {type: object, required: [id, next], properties: {id: {type: integer}, next: {$ref: \"#/components/schemas/C1\"}}}\n"
	for i := 1; i < 30; i++ {
		chain += fmt.Sprintf("    C%d: {type: object, required: [next, back], properties: {next: {$ref: \"#/components/schemas/C%d\"}, back: {type: array, items: {$ref: \"#/components/schemas/Note\"}}}}\n", i, i+1)
	}
	deep := write("rec/chain.yaml", chain+"    C30: {type: object, required: [end], properties: {end: {type: string}}}\n")
	tests := []struct {
		name, spec string
		code       int // -1: serves until the signal
		want       string
	}{
		{"a named pipe", fifo, 2, "fifo.yaml: a named pipe, not a regular file"},
		{"/dev/zero", "/dev/zero", 2, "/dev/zero: a device, not a regular file"},
		{"a directory", dir, 2, "a directory, not a regular file"},
		{"100 MiB", huge, 2, "huge.yaml: 104857600 bytes, larger than the maximum of 67108864 bytes"},
		{"a $ref out of its folder", outside, 2, `outside.yaml:8:78: $ref "../schemas.yaml#/Note": outside the spec's folder`},
		{"a $ref to a sibling file", multi, -1, ""},
		{"a required self-reference", selfRef, -1, ""},
		{"a mutual required reference", mutual, -1, ""},
		{"a chain of 30 required schemas, each referring back", deep, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr syncBuf
			done := make(chan int, 1)
			t0 := time.Now()
			go func() {
				done <- serve(ctx, []string{"--addr", "127.0.0.1:0", "--log-level", "error", "--spec", tt.spec}, env(nil), &stdout, &stderr)
			}()
			if tt.code >= 0 {
				select {
				case code := <-done:
					if took := time.Since(t0); took > 2*time.Second {
						t.Errorf("refused after %s, want under 2s", took)
					}
					if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
						t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.want)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("not refused within 10s")
				}
				return
			}
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(stdout.String(), "Standin mock server on") {
				if time.Now().After(deadline) {
					t.Fatalf("not started: %s", stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if took := time.Since(t0); took > 2*time.Second {
				t.Errorf("started after %s, want under 2s", took)
			}
			cancel()
			t1 := time.Now()
			select {
			case code := <-done:
				if code != 0 || time.Since(t1) > time.Second {
					t.Errorf("exit %d after %s, want 0 within 1s", code, time.Since(t1))
				}
			case <-time.After(5 * time.Second):
				t.Fatal("still serving 5s after the signal")
			}
		})
	}
}

// TestSignalEndsABlockedStartUp: a signal ends start-up even while a read
// of the user's files blocks (an api.yaml that is a FIFO with no writer:
// the manifest loader opens it): serve returns within a second.
func TestSignalEndsABlockedStartUp(t *testing.T) {
	specs := t.TempDir()
	if err := os.MkdirAll(filepath.Join(specs, "stuck"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(specs, "stuck", "api.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "cfg.yaml")
	if err := os.WriteFile(cfg, []byte("specsDir: "+specs+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuf
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, []string{"--addr", "127.0.0.1:0", "--config", cfg}, env(nil), &stdout, &stderr)
	}()
	time.Sleep(300 * time.Millisecond)
	select {
	case code := <-done:
		t.Fatalf("start-up ended by itself (exit %d: %s): the case no longer blocks", code, stderr.String())
	default:
	}
	cancel()
	t0 := time.Now()
	select {
	case code := <-done:
		if code != 1 || time.Since(t0) > time.Second || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("exit %d after %s, stderr %q; want 1 within 1s", code, time.Since(t0), stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("start-up ignored the signal")
	}
}
