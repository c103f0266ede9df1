package diag

// The codes of the contract layer's diagnostics.
const (
	// CodeUnreadable: the file cannot be opened or read.
	CodeUnreadable Code = "unreadable"
	// CodeNotRegular: the file is a directory, device, pipe or socket.
	CodeNotRegular Code = "not-a-regular-file"
	// CodeTooLarge: the file is larger than the size cap.
	CodeTooLarge Code = "too-large"
	// CodeSyntax: the file is not YAML, JSON or GraphQL SDL.
	CodeSyntax Code = "syntax"
	// CodeNotContract: the file parses but is no OpenAPI document, Swagger
	// 2.0 document or GraphQL SDL.
	CodeNotContract Code = "not-a-contract"
	// CodeConverted: a Swagger 2.0 document was converted to OpenAPI 3.0.
	CodeConverted Code = "converted"
	// CodeDanglingRef: a $ref names something the document does not have.
	CodeDanglingRef Code = "dangling-ref"
	// CodeRefOutside: a $ref leaves the spec's folder (../, an absolute
	// path).
	CodeRefOutside Code = "ref-outside-folder"
	// CodeRefNotFile: a $ref is a URL (http:, file:, ...), not a file of
	// the spec's folder.
	CodeRefNotFile Code = "ref-not-a-file"
	// CodeInvalidDocument: the document breaks the OpenAPI specification.
	CodeInvalidDocument Code = "invalid-document"
	// CodeInvalidExample: an example or examples value does not match its
	// schema.
	CodeInvalidExample Code = "invalid-example"
	// CodeExampleWithoutValue: an example object has neither value nor
	// externalValue.
	CodeExampleWithoutValue Code = "example-without-value"
	// CodeUnsatisfiableSchema: a request body's schema admits no value
	// (allOf parts with no type in common): no request could pass it.
	CodeUnsatisfiableSchema Code = "unsatisfiable-schema"
	// CodeInvalidSDL: a GraphQL SDL that gqlparser refuses.
	CodeInvalidSDL Code = "invalid-sdl"
	// CodeNotServed: something a document or folder describes that the
	// mock does not serve (a webhook, a callback, an operation it cannot
	// route, a file no manifest names).
	CodeNotServed Code = "not-served"
)
