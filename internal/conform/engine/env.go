package engine

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// NewEnv loads the contracts of the configured APIs (a bundled API's from
// specs/, any other's from its spec file) and makes the run's
// environment. A spec file that does not load is a usage error.
func NewEnv(cfg conform.Config, queries fs.FS) (*kit.Env, error) {
	bundled := map[string]bool{}
	for name, conf := range cfg.APIs {
		if conf.Spec == "" {
			bundled[name] = true
		}
	}
	contracts, err := model.LoadBundled(bundled)
	if err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.APIs)) {
		if conf := cfg.APIs[name]; conf.Spec != "" {
			m, err := model.LoadFile(name, conf.Spec)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", conform.ErrUsage, err)
			}
			contracts = append(contracts, m)
		}
	}
	apis := make([]*kit.API, len(contracts))
	for i, m := range contracts {
		conf := cfg.APIs[m.Name]
		if conf.GraphQL.Path != "" {
			m.Hints.GraphQLPath = conf.GraphQL.Path // conform.yaml's graphqlPath, --graphql-path
		}
		apis[i] = &kit.API{API: m, Conf: conf}
	}
	sort.Slice(apis, func(i, j int) bool { return apis[i].Name < apis[j].Name })
	if err := checkCredentials(apis); err != nil {
		return nil, err
	}
	return kit.NewEnv(cfg, apis, queries), nil
}
