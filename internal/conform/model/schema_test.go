package model

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

func TestEnumToFieldAndRange(t *testing.T) {
	node := &ast.Definition{Fields: ast.FieldList{{Name: "name"}, {Name: "createdOn"}}}
	for v, want := range map[string]string{"NAME": "name", "CREATED_ON": "createdOn", "SIZE": ""} {
		if got := EnumToField(node, v); got != want {
			t.Errorf("EnumToField(%s) = %q, want %q", v, got, want)
		}
	}
	f := &ast.FieldDefinition{Arguments: ast.ArgumentDefinitionList{
		{Name: "first", Description: "Return at most this many accounts after `after` (0-100)."},
		{Name: "last", Description: "Cursor."},
	}}
	if lo, hi, ok := ArgRange(f, "first"); !ok || lo != 0 || hi != 100 {
		t.Errorf("ArgRange(first) = %d %d %v", lo, hi, ok)
	}
	if _, _, ok := ArgRange(f, "last"); ok {
		t.Errorf("ArgRange(last): a description without a range has none")
	}
}
