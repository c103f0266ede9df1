// Package fakedata generates deterministic, realistic records from the
// generator expressions of an API manifest (manifest.Generate).
//
// # Records, fields and evaluation order
//
// generate.fields maps a record field to an expression. A dotted field
// ("partner.id") creates nested objects. A field whose first segment begins
// with "_" ("_person") is hidden: it is evaluated and can be referred to by
// later fields, but it is not part of the record, unless the collection lists
// it as unique: a unique "_" field is a store-only key ("_key") and is kept.
// A record field whose name begins with "_" is written with a backslash
// before it: "\_links" is the record's field "_links" (FieldKey).
// Fields are evaluated in generate.order first, then the remaining fields
// sorted by name; a field may only refer to fields evaluated before it.
//
// Values are JSON-shaped (string, float64, bool, nil, []any, map[string]any):
// numbers are always float64, so a generated record looks exactly like a
// fixture record decoded from JSON.
//
// # Expressions
//
// An expression is a YAML scalar or list (a constant), or a map with exactly
// one key naming the generator, whose value holds its parameters:
//
//	status: active                                  # constant
//	client_id: {seq: {start: 2, step: 1}}           # 2, 3, 4, ... (float64)
//	id: {uuid: {}}                                  # RFC 4122 v4 uuid from the seeded rng
//	tags: {const: [a, b]}                           # constant (any YAML value)
//	n: {int: {min: 1, max: 100}}                    # integer (float64), bounds included
//	score: {float: {min: 0, max: 5, decimals: 1}}
//	enabled: {bool: {p: 0.8}}                       # true with probability p
//	role: {oneOf: [USER, ADMIN]}                    # uniform choice of values
//	status: {weighted: {active: 8, suspended: 1}}   # choice by weight (keys sorted)
//	accessTypes: {someOf: {values: [CUSTOMER, VENDOR], min: 1, max: 2}}
//	                                                # subset, in the order of values
//	token: {nullable: {p: 0.33, value: <expr>}}     # null with probability p
//	created_at: {time: {from: "2023-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z",
//	                    format: "2006-01-02T15:04:05Z"}}   # format: Go layout, UTC
//	updated_at: {timeAfter: {field: created_at, min: "0s", max: "8760h",
//	                         to: "2026-03-01T00:00:00Z", format: ...}}
//	                                                # never before field; null if field is null
//	code: {ref: name}                               # copy of an earlier field (dotted path)
//	value: {template: "enroll_{{alnum 32}}"}        # see Templates
//	name: {join: {sep: "-", parts: [svc, {oneOf: [billing, crm]}]}}
//	countryCode: {country: {}}                      # ISO 3166-1 alpha-2 (all 249 codes)
//	countryCode: {country: {among: [US, GB, DE]}}   # restricted; codes are checked
//	name: {company: {}}                             # company name
//	city: {fake: city}                              # a realistic value of a kind (FakeKinds):
//	                                                # name, firstName, email, phone, city, url,
//	                                                # petName, sentence, ... (gofakeit)
//	isbn: {regex: "^[0-9]{13}$"}                    # a string matching the pattern
//	ref: {regex: {pattern: "^se(-[a-z0-9]+)+$", maxLength: 25}} # and of those lengths (minLength too)
//	partner: {pick: {values: [{id: "…", name: "TechPartner Inc."}, …], weights: [3, 1]}}
//	_account: {pick: {collection: accounts}}        # a whole record of another collection
//	_owner: {pick: {collection: accounts, generated: true}} # only generated records, never a fixture
//	accountId: {pick: {collection: accounts, field: id}}   # one of its fields
//	token: {object: {id: {uuid: {}}, value: …}}     # nested object, keys evaluated sorted
//	items: {list: {min: 1, max: 3, item: <expr>}}
//	endedOn: {switch: {field: status, cases: {CANCELLED: <expr>}, default: null}}
//	                                                # by an earlier field's value
//	_person: {ruPerson: {}}                         # Russian person (hidden composite)
//	_person: {ruPerson: {gender: female}}           # male, female, or any (default)
//	first_name: {person: first}                     # part of _person; also
//	                                                # {person: {from: _p2, part: last}}
//	email: {email: {from: _person, domain: [example.com, mail.ru]}}
//	phone: {ruPhone: {}}                            # Russian mobile 79XXXXXXXXX
//	id: {nodeId: {type: Book}}                      # global id of record n: NodeID("Book", n),
//	                                                # base64url of "Book:n"; {number: true}: n
//	author: {link: {to: [{collection: authors, type: Author}]}}
//	                                                # the key of a random generated record of
//	                                                # authors, as its nodeId rule makes it (null
//	                                                # when it has none); Env.Counts says how many
//	                                                # there are, so links may form cycles
//	labels: {link: {to: [{collection: labels, type: Label}], min: 0, max: 3}}
//	                                                # a list of distinct keys
//
// Inside object, the keys of the object are evaluated in sorted order and may
// refer to earlier siblings by their full path ("token.created_at").
//
// # Russian people
//
// ruPerson makes a map with the parts first, last, patronymic, gender ("male"
// or "female"), firstLatin, lastLatin, patronymicLatin and full. The last
// name takes the feminine form for women (Иванов/Иванова, Высоцкий/Высоцкая,
// Толстой/Толстая; Шевченко and Черных do not change) and the patronymic is
// derived from a male first name with the grammar's rules (Иван → Иванович/
// Ивановна, Сергей → Сергеевич/Сергеевна, Дмитрий → Дмитриевич, Юрий →
// Юрьевич, Игорь → Игоревич; Павел, Пётр, Лев, Михаил, Илья, Никита are
// irregular). The Latin forms use the ICAO Doc 9303 transliteration used in
// Russian passports since 2014 (ж zh, х kh, ц ts, щ shch, ы y, ъ ie, ь dropped,
// ю iu, я ia, ё and э e, й i). email builds first.last@domain in lower case
// from the Latin parts and adds a number before "@" when the address was
// already produced for this collection (ivan.ivanov2@example.com).
//
// # Templates
//
// A template is text with {{func args}} actions:
//
//	{{alnum N}}    N lowercase letters and digits     {{ALNUM N}} mixed case
//	{{digits N}}   N digits                           {{hex N}}   N lowercase hex digits
//	{{letters N}}  N lowercase letters                {{upper N}} N uppercase letters
//	{{ref PATH}}   an earlier field (numbers without a trailing .0)
//	{{slug PATH}}  an earlier field in lower case, runs of other characters as "-"
//	{{lower PATH}} an earlier field in lower case
//	{{oneOf a|b|c}} one of the words
//	{{n}}          the record's number among the generated records, from 1
//
// # Determinism
//
// Each collection has its own random source, gofakeit.New(s) where s is
// derived with FNV-64a from the seed, the API name and the collection name, so
// adding a collection or changing another collection's count does not change
// this one's records, and one seed gives identical records on every machine.
//
// Run makes records in order from that one source. Chunks makes them by
// their number instead, for goroutines working at once: a chunk's records
// come from a source seeded with ChunkSeed (the collection's seed and the
// chunk's first record), and a record whose unique value is taken is made
// again from RetrySeed (the record's number and the attempt), in the order
// the records are stored. Only rules whose records depend on their number
// alone allow it (Generator.Chunkable): no email (its numbering follows
// every address made before) and no seq under nullable, list or switch or
// in a unique field. The caller decides where chunks begin; the fixtures
// loader makes a collection's first 8,192 records with Run and the rest in
// chunks of 4,096, so the same seed gives the same records on any number
// of cores.
//
// # Unique fields
//
// For fields listed as unique, a generated value that is already taken (by a
// fixture record or an earlier generated record) is generated again, up to
// 100 times; a string that still collides gets "-2", "-3", ... appended.
package fakedata
