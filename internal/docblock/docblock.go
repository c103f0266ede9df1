// Package docblock finds and rewrites command transcripts in Markdown
// documents, so that a test can keep what a document says a command
// prints equal to what it prints (refreshing the document with -update).
//
// A transcript is a fenced code block whose first line is "$ " and the
// command; the rest of the block is the command's output:
//
//	```
//	$ go run ./cmd/mockserver --version
//	mockserver (devel)
//	```
package docblock

import (
	"fmt"
	"strings"
)

// Transcript returns the output the document doc shows for command (the
// lines after "$ command" up to the closing fence), and the byte range of
// that output in doc. It is an error when no block, or more than one,
// shows the command.
func Transcript(doc, command string) (output string, start, end int, err error) {
	head := "```\n$ " + command + "\n"
	i := strings.Index(doc, head)
	if i < 0 {
		return "", 0, 0, fmt.Errorf("no transcript block starting with %q", "$ "+command)
	}
	if strings.Contains(doc[i+len(head):], head) {
		return "", 0, 0, fmt.Errorf("more than one transcript block of %q", "$ "+command)
	}
	start = i + len(head)
	j := strings.Index(doc[start:], "```")
	if j < 0 || (j > 0 && doc[start+j-1] != '\n') {
		return "", 0, 0, fmt.Errorf("the transcript of %q is not closed by a line ```", command)
	}
	end = start + j
	return doc[start:end], start, end, nil
}

// Replace returns doc with the output of command's transcript replaced by
// output (which should end in a newline).
func Replace(doc, command, output string) (string, error) {
	_, start, end, err := Transcript(doc, command)
	if err != nil {
		return "", err
	}
	if !strings.HasSuffix(output, "\n") {
		output += "\n"
	}
	return doc[:start] + output + doc[end:], nil
}
