// Package cmdline holds what the commands (cmd/mockserver, cmd/conform)
// share on their command lines: --help with the flags in titled groups
// and examples, --version from the build information, and the exit
// statuses.
package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/usererr"
)

// Exit statuses of every command.
const (
	// ExitOK: success (every check passed, the server shut down cleanly,
	// --help, --version).
	ExitOK = 0
	// ExitFailure: a failure at run time (a failed check, a server that
	// cannot serve, a port taken).
	ExitFailure = 1
	// ExitUsage: bad usage or a bad file (a flag, a configuration, a
	// spec, a scenario), with the file's place.
	ExitUsage = 2
)

// Group is a titled set of flags in --help, in the order shown. A new
// flag joins a group by adding its name to Flags; Help.Ungrouped finds
// flags that joined none.
type Group struct {
	Title string
	Flags []string
}

// Example is a command line shown in --help, and what it does.
type Example struct {
	Command string
	Does    string
}

// Help is what --help prints for one command.
type Help struct {
	// Usage is the synopsis line, e.g. "mockserver [flags]".
	Usage string
	// Description is a paragraph (or several, separated by blank lines)
	// saying what the command does.
	Description string
	// Groups sort the flags by topic.
	Groups []Group
	// Examples are command lines that work as printed.
	Examples []Example
	// Notes end the text (environment variables, exit statuses).
	Notes string
}

// width is the column text is wrapped at.
const width = 80

// Write prints the help for the flags of fs to w: the usage, the
// description, every group with its flags (name, value placeholder, usage
// and non-zero default), the examples and the notes. A flag of fs in no
// group is printed under "Other flags".
func (h Help) Write(w io.Writer, fs *flag.FlagSet) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n", h.Usage)
	for _, p := range strings.Split(strings.TrimSpace(h.Description), "\n\n") {
		b.WriteString(wrap(p, "", width))
		b.WriteString("\n\n")
	}
	groups := h.Groups
	if rest := h.Ungrouped(fs); len(rest) > 0 {
		groups = append(groups[:len(groups):len(groups)], Group{Title: "Other flags", Flags: rest})
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "%s:\n", g.Title)
		for _, name := range g.Flags {
			f := fs.Lookup(name)
			if f == nil {
				continue
			}
			b.WriteString(flagText(f))
		}
		b.WriteString("\n")
	}
	if len(h.Examples) > 0 {
		b.WriteString("Examples:\n")
		for _, e := range h.Examples {
			b.WriteString(wrap(e.Does, "  # ", width))
			b.WriteString("\n  " + e.Command + "\n")
		}
		b.WriteString("\n")
	}
	if n := strings.TrimSpace(h.Notes); n != "" {
		for _, p := range strings.Split(n, "\n\n") {
			b.WriteString(wrap(p, "", width))
			b.WriteString("\n\n")
		}
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// Ungrouped lists the flags of fs that no group names, sorted.
func (h Help) Ungrouped(fs *flag.FlagSet) []string {
	grouped := map[string]bool{}
	for _, g := range h.Groups {
		for _, n := range g.Flags {
			grouped[n] = true
		}
	}
	var out []string
	fs.VisitAll(func(f *flag.Flag) {
		if !grouped[f.Name] {
			out = append(out, f.Name)
		}
	})
	return out
}

// Unknown lists the names the groups give that fs does not define.
func (h Help) Unknown(fs *flag.FlagSet) []string {
	var out []string
	for _, g := range h.Groups {
		for _, n := range g.Flags {
			if fs.Lookup(n) == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// flagText is one flag: "  --name VALUE" and its usage, wrapped and
// indented, with the default when it is not the zero value.
func flagText(f *flag.Flag) string {
	placeholder, usage := flag.UnquoteUsage(f)
	if isBool(f) {
		placeholder = ""
	}
	line := "  --" + f.Name
	if placeholder != "" {
		line += " " + placeholder
	}
	if d := f.DefValue; !isZero(d) && !isBool(f) {
		usage += " (default " + d + ")"
	}
	return line + "\n" + wrap(usage, "      ", width) + "\n"
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func isZero(v string) bool {
	switch v {
	case "", "0", "false", "0s", "[]":
		return true
	}
	return false
}

// wrap fills text into lines of at most width columns, each starting
// with indent (words longer than a line stay whole).
func wrap(text, indent string, width int) string {
	var lines []string
	line := indent
	for _, word := range strings.Fields(text) {
		if line != indent && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	if line != indent {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// About holds the flags every command has besides its own: --help and
// --version. -h also asks for help (the flag package answers it with
// flag.ErrHelp).
type About struct {
	Help    bool
	Version bool
}

// BindAbout registers --help and --version on fs.
func BindAbout(fs *flag.FlagSet) *About {
	a := &About{}
	fs.BoolVar(&a.Help, "help", false, "print this help and exit (also -h)")
	fs.BoolVar(&a.Version, "version", false, "print the module version, VCS revision and Go version, and exit")
	return a
}

// ExitStatus is the exit status for an error of a command: ExitOK for
// none, ExitUsage when the error is the user's (a *usererr.Error in its
// tree: a bad flag or file), else ExitFailure.
func ExitStatus(err error) int {
	_, user := usererr.Find(err)
	switch {
	case err == nil:
		return ExitOK
	case user, errors.As(err, new(*diag.ErrorList)):
		// a placed mistake in a user's file, or a contract (OpenAPI
		// document, SDL) refused with its place
		return ExitUsage
	}
	return ExitFailure
}
