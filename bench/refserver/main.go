// Command refserver is the reference for bench/run.sh: a plain net/http
// server that answers each configured path with a fixed JSON body read from a
// file at start-up. run.sh fills those files with the mock's own answers, so
// the reference sends the same bytes and the ratio mock/reference measures
// only what the mock does per request.
//
//	refserver -addr 127.0.0.1:18081 -route /v0/clients=/tmp/list.json -route /graphql=/tmp/gql.json
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

type routes map[string][]byte

func (r routes) String() string { return fmt.Sprint(len(r), " routes") }

func (r routes) Set(v string) error {
	path, file, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(path, "/") {
		return fmt.Errorf("want /path=file, got %q", v)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	r[path] = body
	return nil
}

func main() {
	rs := routes{}
	addr := flag.String("addr", "127.0.0.1:18081", "listen address")
	flag.Var(rs, "route", "/path=file: answer requests for path with the file's bytes (repeatable)")
	flag.Parse()
	mux := http.NewServeMux()
	for path, body := range rs {
		length := strconv.Itoa(len(body))
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				var buf [4096]byte
				for {
					if _, err := r.Body.Read(buf[:]); err != nil {
						break
					}
				}
			}
			h := w.Header()
			h["Content-Type"] = []string{"application/json"}
			h["Content-Length"] = []string{length}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(body)
		})
	}
	mux.HandleFunc("/__ref/health", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
