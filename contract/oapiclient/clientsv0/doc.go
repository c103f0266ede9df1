package clientsv0

//go:generate go tool oapi-codegen -generate types,client -package clientsv0 -o generated.go ../../../specs/clients-v0/openapi.yaml
