package config

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/usererr"

	"github.com/standin/standin/internal/cors"
)

// CORS says which browser pages of other origins may call the mock. The
// zero value is the default: on, for any origin.
//
// In YAML, `cors:` is false (off), true or "*" (any origin), or a list of
// origin patterns (`cors: [http://localhost:3000, "http://127.0.0.1:*"]`,
// syntax in internal/cors). --cors and STANDIN_CORS take the same values, a
// list comma-separated: --cors=false, --cors=http://localhost:*.
type CORS struct {
	// Off turns CORS off: preflights are not answered, no header is added.
	Off bool
	// Origins are the allowed origin patterns; empty means any origin.
	Origins []string
}

// AllowedOrigins returns the patterns to compile with cors.New: none when
// off, "*" when no list was given.
func (c CORS) AllowedOrigins() []string {
	switch {
	case c.Off:
		return nil
	case len(c.Origins) == 0:
		return []string{cors.Any}
	}
	return c.Origins
}

// String describes the setting for the start-up banner and errors.
func (c CORS) String() string {
	switch {
	case c.Off:
		return "off"
	case len(c.Origins) == 0:
		return "any origin"
	}
	return strings.Join(c.Origins, ", ")
}

// ParseCORS reads the flag or environment form: true, on or * (any
// origin), false or off, or comma-separated origin patterns.
func ParseCORS(s string) (CORS, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "true", "on", "yes", "1", cors.Any:
		return CORS{}, nil
	case "false", "off", "no", "0", "none":
		return CORS{Off: true}, nil
	case "":
		return CORS{}, errors.New("cors: empty; want true, false or comma-separated origins such as http://localhost:*")
	}
	var c CORS
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.Origins = append(c.Origins, o)
		}
	}
	return c, c.validate()
}

// UnmarshalYAML reads `cors:` as a boolean, a string (as ParseCORS) or a
// list of origin patterns. An empty list allows no origin: CORS off.
func (c *CORS) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!bool" {
			var on bool
			if err := n.Decode(&on); err != nil {
				return err
			}
			*c = CORS{Off: !on}
			return nil
		}
		v, err := ParseCORS(n.Value)
		if err != nil {
			return &usererr.Error{Place: usererr.Place{Line: n.Line, Col: n.Column}, Problem: err.Error(), Fix: corsFix}
		}
		*c = v
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		if len(list) == 0 {
			*c = CORS{Off: true}
			return nil
		}
		*c = CORS{Origins: list}
		if err := c.validate(); err != nil {
			return &usererr.Error{Place: usererr.Place{Line: n.Line, Col: n.Column}, Problem: err.Error(), Fix: corsFix}
		}
		return nil
	}
	return &usererr.Error{Place: usererr.Place{Line: n.Line, Col: n.Column}, Problem: "cors: want true, false or a list of origins", Fix: corsFix}
}

const corsFix = "write cors: true, cors: false or a list of origins such as [http://localhost:3000, https://*.example.com]"

func (c CORS) validate() error {
	for _, o := range c.Origins {
		if err := cors.ValidPattern(o); err != nil {
			return fmt.Errorf("cors: %w", err)
		}
	}
	return nil
}

// boolOrList is the --cors flag: alone it means true, --cors=VALUE gives
// any ParseCORS form.
type boolOrList string

func (v *boolOrList) String() string     { return string(*v) }
func (v *boolOrList) Set(s string) error { *v = boolOrList(s); return nil }

// IsBoolFlag lets --cors stand alone (= true), as the flag package's bool flags.
func (v *boolOrList) IsBoolFlag() bool { return true }
