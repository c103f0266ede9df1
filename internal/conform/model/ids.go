package model

import (
	"maps"
	"slices"
	"strings"
)

// IDFields lists the record fields a path parameter or argument may name:
// itself, and id and uuid for one named like an id (…uuid, …_id, id).
func IDFields(param string) []string {
	out := []string{param}
	lower := strings.ToLower(param)
	if strings.HasSuffix(lower, "uuid") || strings.HasSuffix(lower, "_id") || lower == "id" {
		out = append(out, "id", "uuid")
	}
	return out
}

// RecordPair is a REST operation and a GraphQL lookup field that read the
// same record (the same collection, by the same key field), e.g.
// getCompany by companyUuid and account(id:), known from the hints.
type RecordPair struct {
	// Operation reads the record with its path parameter Param.
	Operation Operation
	Param     string
	// Field is the record field both select by.
	Field string
	// Lookup reads the record with its argument Arg.
	Lookup string
	Arg    string
}

// RecordPairs lists the API's REST operations and GraphQL lookups that
// read the same records, by operationId and then field name.
func (a *API) RecordPairs() []RecordPair {
	if a.Schema == nil || a.OpenAPI == nil || a.Hints.Reads == nil || a.Hints.Fields == nil {
		return nil
	}
	ops := a.Operations()
	var out []RecordPair
	for _, opID := range slices.Sorted(maps.Keys(a.Hints.Reads)) {
		r := a.Hints.Reads[opID]
		i := slices.IndexFunc(ops, func(o Operation) bool { return o.ID() == opID })
		if i < 0 {
			continue
		}
		fields := a.Hints.Fields[a.Schema.Query.Name]
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			f := fields[name]
			if f.Kind != KindGet || f.Collection != r.Collection || f.Field != r.Field {
				continue
			}
			out = append(out, RecordPair{Operation: ops[i], Param: r.Param, Field: r.Field, Lookup: name, Arg: f.Arg})
		}
	}
	return out
}

// Coordinate names a GraphQL field by its type: Admin.allClients.
type Coordinate struct {
	Type, Field string
}

// String is Type.field.
func (c Coordinate) String() string { return c.Type + "." + c.Field }

// FieldsRequiring lists the GraphQL fields whose hints require the
// permission, sorted by type and field.
func (a *API) FieldsRequiring(permission string) []Coordinate {
	var out []Coordinate
	for _, typeName := range slices.Sorted(maps.Keys(a.Hints.Fields)) {
		for _, name := range slices.Sorted(maps.Keys(a.Hints.Fields[typeName])) {
			if slices.Contains(a.Hints.Fields[typeName][name].Requires, permission) {
				out = append(out, Coordinate{Type: typeName, Field: name})
			}
		}
	}
	return out
}

// GraphQLErrorCode is the extensions.code the API answers with an HTTP
// status: the hints', else the conventional one (UNAUTHENTICATED for 401).
func (a *API) GraphQLErrorCode(status int) string {
	if c, ok := a.Hints.ErrorCodes[status]; ok {
		return c
	}
	switch status {
	case 400:
		return "BAD_REQUEST"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "FORBIDDEN"
	case 404:
		return "NOT_FOUND"
	case 429:
		return "RATE_LIMITED"
	case 500:
		return "INTERNAL_SERVER_ERROR"
	}
	return "ERROR"
}
