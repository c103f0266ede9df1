package fakedata

import (
	"strconv"
	"strings"
)

// tmplPart is one piece of a template: literal text or an action.
type tmplPart struct {
	lit   string
	fn    string
	n     int
	path  string
	words []string
}

type templateNode struct {
	parts []tmplPart
	size  int // a usual length of the text, to size its buffer once
}

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	mixedAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	lowers     = "abcdefghijklmnopqrstuvwxyz"
	uppers     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars = "0123456789"
)

func parseTemplate(s string) (node, error) {
	t := &templateNode{}
	for s != "" {
		i := strings.Index(s, "{{")
		if i < 0 {
			t.parts = append(t.parts, tmplPart{lit: s})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, tmplPart{lit: s[:i]})
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return nil, bad("template: unclosed {{ in %q", s)
		}
		action := strings.Fields(s[i+2 : i+j])
		s = s[i+j+2:]
		if len(action) == 0 {
			return nil, bad("template: empty action {{}}")
		}
		p := tmplPart{fn: action[0]}
		args := action[1:]
		one := func() (string, error) {
			if len(args) != 1 {
				return "", bad("template: {{%s}} takes one argument", p.fn)
			}
			return args[0], nil
		}
		switch p.fn {
		case "alnum", "ALNUM", "digits", "hex", "letters", "upper":
			a, err := one()
			if err != nil {
				return nil, err
			}
			n, err := strconv.Atoi(a)
			if err != nil || n < 1 || n > 1024 {
				return nil, bad("template: {{%s N}} needs a length from 1 to 1024, got %q", p.fn, a)
			}
			p.n = n
		case "ref", "slug", "lower":
			a, err := one()
			if err != nil {
				return nil, err
			}
			p.path = a
		case "oneOf":
			a, err := one()
			if err != nil {
				return nil, err
			}
			p.words = strings.Split(a, "|")
		case "n":
			if len(args) != 0 {
				return nil, bad("template: {{n}} takes no argument")
			}
		default:
			return nil, bad("template: unknown action %q (known: alnum, ALNUM, digits, hex, letters, upper, ref, slug, lower, oneOf, n)", p.fn)
		}
		t.parts = append(t.parts, p)
	}
	if len(t.parts) == 1 && t.parts[0].fn == "" {
		return constNode{t.parts[0].lit}, nil
	}
	for _, p := range t.parts {
		switch {
		case p.fn == "":
			t.size += len(p.lit)
		case p.n > 0:
			t.size += p.n
		default:
			t.size += 16
		}
	}
	return t, nil
}

func (t *templateNode) eval(c *ctx) (any, error) {
	var b strings.Builder
	b.Grow(t.size)
	for _, p := range t.parts {
		switch p.fn {
		case "":
			b.WriteString(p.lit)
		case "alnum":
			randChars(c, &b, lowerAlnum, p.n)
		case "ALNUM":
			randChars(c, &b, mixedAlnum, p.n)
		case "digits":
			randChars(c, &b, digitChars, p.n)
		case "hex":
			randChars(c, &b, hexDigits, p.n)
		case "letters":
			randChars(c, &b, lowers, p.n)
		case "upper":
			randChars(c, &b, uppers, p.n)
		case "ref":
			b.WriteString(text(c.lookup(p.path)))
		case "slug":
			b.WriteString(slug(text(c.lookup(p.path)), '-'))
		case "lower":
			b.WriteString(strings.ToLower(text(c.lookup(p.path))))
		case "oneOf":
			b.WriteString(p.words[c.f.IntN(len(p.words))])
		case "n":
			b.WriteString(strconv.Itoa(c.n))
		}
	}
	return b.String(), nil
}

func randChars(c *ctx, b *strings.Builder, set string, n int) {
	for i := 0; i < n; i++ {
		b.WriteByte(set[c.f.IntN(len(set))])
	}
}
