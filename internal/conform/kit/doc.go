// Package kit is what a conformance check is written with: the Check,
// Case and Step values a check declares, the T a running step is handed
// (it sends requests, keeps the exchanges and collects violations), the
// request with its Credentials (where a secret goes: header, query or
// cookie; bearer, basic or API key), the violation with its typed Place
// (JSON pointer, GraphQL response path, header, status, schema
// coordinate), the expectations shared by checks (status, content type,
// OpenAPI response validation, GraphQL selection validation and error
// shape), and the pieces that read a target the way its contract
// documents: the REST list walker (restwalk.go), the GraphQL connection
// walker (connwalk.go), the query and parameter generators (gqlquery.go,
// querygen.go, paramgen.go) and the property runner (property.go).
//
// Checks (packages under checks/) import kit and model, never the engine
// that plans and runs them.
package kit
