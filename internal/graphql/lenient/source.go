package lenient

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// MaxBraceCandidates bounds the places RepairSource tries a missing "{"
// at, in document order.
const MaxBraceCandidates = 64

// MaxSourceRepairBytes bounds the documents RepairSource tries to re-brace:
// each candidate costs a parse and a validation.
const MaxSourceRepairBytes = 8 << 10

// RepairSource returns a repaired, valid document for a query text that
// failed to parse or to validate, and one sentence per repair; nil when no
// repair makes it valid.
//
// Besides Repair's two fixes it restores one missing opening brace of a
// selection set (the admin and marketplace pages print
// `account(id: $id)` followed by its fields and a closing brace): when the
// text has exactly one more "}" than "{", a "{" is tried after each field
// name or argument list that a name follows, and the first candidate that
// parses and, with Repair's fixes, validates against schema is used. Only a
// valid result is returned, so a wrong guess can never run.
func RepairSource(schema *ast.Schema, query string) (*ast.QueryDocument, []string) {
	if doc, err := parser.ParseQuery(&ast.Source{Input: query}); err == nil {
		notes := Repair(schema, doc)
		if len(notes) == 0 || len(validator.ValidateWithRules(schema, doc, nil)) > 0 {
			return nil, nil
		}
		return doc, notes
	}
	if len(query) > MaxSourceRepairBytes || strings.Count(query, "}")-strings.Count(query, "{") != 1 {
		return nil, nil
	}
	runes := []rune(query)
	for _, at := range braceCandidates(query) {
		fixed := string(runes[:at.end]) + " {" + string(runes[at.end:])
		doc, err := parser.ParseQuery(&ast.Source{Input: fixed})
		if err != nil {
			continue
		}
		notes := Repair(schema, doc)
		if len(validator.ValidateWithRules(schema, doc, nil)) > 0 {
			continue
		}
		note := fmt.Sprintf("a missing \"{\" was inserted after %q on line %d", at.after, at.line)
		return doc, append([]string{note}, notes...)
	}
	return nil, nil
}

// candidate is a place where a selection set could open: after the token
// ending at rune offset end.
type candidate struct {
	end, line int
	after     string
}

// braceCandidates lists, in document order, the ends of field names and
// argument lists that a name directly follows (where "{" may be missing).
// A string or comment token cannot be split, so offsets stay on token
// boundaries.
func braceCandidates(query string) []candidate {
	lx := lexer.New(&ast.Source{Input: query})
	var out []candidate
	var prev lexer.Token
	fieldStart, depth := -1, 0
	for {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return out
		}
		if len(out) == MaxBraceCandidates {
			return out
		}
		if tok.Kind == lexer.Name && (prev.Kind == lexer.Name || prev.Kind == lexer.ParenR) && prev.Pos.End > 0 {
			after := prev.Value
			if prev.Kind == lexer.ParenR && fieldStart >= 0 {
				after = string([]rune(query)[fieldStart:prev.Pos.End])
			}
			out = append(out, candidate{end: prev.Pos.End, line: prev.Pos.Line, after: strings.Join(strings.Fields(after), " ")})
		}
		switch tok.Kind {
		case lexer.ParenL:
			depth++
		case lexer.ParenR:
			depth--
		case lexer.Name:
			if depth == 0 && prev.Kind != lexer.Colon && prev.Kind != lexer.At {
				fieldStart = tok.Pos.Start
			}
		case lexer.BraceL, lexer.BraceR:
			fieldStart = -1
		}
		prev = tok
	}
}
