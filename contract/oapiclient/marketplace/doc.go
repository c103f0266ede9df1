package marketplace

//go:generate go tool oapi-codegen -generate types,client -package marketplace -o generated.go ../../../specs/marketplace/openapi.yaml
