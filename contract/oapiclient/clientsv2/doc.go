package clientsv2

//go:generate go tool oapi-codegen -generate types,client -package clientsv2 -o generated.go ../../../specs/clients-v2/openapi.yaml
