// Command introquery prints graphql-js's introspection query with every
// option (introspect.FullQuery), for bench scripts that introspect a
// schema as GraphiQL and client generators do.
package main

import (
	"fmt"

	"github.com/standin/standin/internal/graphql/introspect"
)

func main() { fmt.Print(introspect.FullQuery) }
