// Command sdlfix writes a GraphQL SDL without the second and later
// definitions of a field defined twice in one type (internal/sdlfix), the
// one fault of GitHub's schema as shipped. bench/github-sdl.sh uses it.
//
//	go run ./bench/sdlfix IN OUT
package main

import (
	"fmt"
	"os"

	"github.com/standin/standin/internal/sdlfix"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sdlfix IN OUT")
		os.Exit(2)
	}
	src, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, dropped, err := sdlfix.DropRepeatedFields(string(src))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, d := range dropped {
		fmt.Fprintln(os.Stderr, "dropped", d)
	}
	if err := os.WriteFile(os.Args[2], []byte(out), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
