package report

import "strings"

// secretFlags are the flags of cmd/conform whose value is a credential.
var secretFlags = map[string]bool{"token": true, "limited-token": true, "credential": true}

// secretHeaders are the request headers whose value --header may give
// as a credential.
var secretHeaders = map[string]bool{"authorization": true, "proxy-authorization": true, "x-api-key": true, "cookie": true}

// CommandLine renders a command line (the program, then its arguments)
// for a POSIX shell, the value of every credential flag (--token,
// --limited-token, --credential NAME=VALUE, --header with a secret
// header) replaced by <redacted>, so that the report can be shared.
func CommandLine(args []string) string {
	out := make([]string, 0, len(args))
	secretNext := false
	for i, a := range args {
		switch {
		case i == 0:
			out = append(out, shellQuote(a))
			continue
		case secretNext:
			out = append(out, shellQuote(redactValue(args[i-1], a)))
			secretNext = false
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !isSecretFlag(name) {
			out = append(out, shellQuote(a))
			continue
		}
		if !hasValue {
			secretNext = true
			out = append(out, shellQuote(a))
			continue
		}
		out = append(out, shellQuote(a[:len(a)-len(value)]+redactValue(name, value)))
	}
	return strings.Join(out, " ")
}

func isSecretFlag(name string) bool { return secretFlags[name] || name == "header" }

// redactValue is the shown form of a secret flag's value.
func redactValue(flagName, v string) string {
	switch strings.TrimLeft(flagName, "-") {
	case "credential": // NAME=VALUE: the scheme's name is no secret
		if name, _, ok := strings.Cut(v, "="); ok {
			return name + "=" + redacted
		}
	case "header": // 'Name: value': only a credential header is cut
		name, _, ok := strings.Cut(v, ":")
		if !ok || !secretHeaders[strings.ToLower(strings.TrimSpace(name))] {
			return v
		}
		return name + ": " + redacted
	}
	return redacted
}
