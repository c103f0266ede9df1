package conform

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/specs"
)

// BundledFile is the name of a bundled API's target file in its folder
// under specs/: a conform.yaml configuring that API alone (its tokens,
// limited token, roles, rate-limit token and ids for the bundled mock).
const BundledFile = "conform.yaml"

// BundledTargets reads the target of every bundled API at baseURL from
// specs/<api>/conform.yaml ("" leaves the base URL to be set when the
// in-process mock starts).
func BundledTargets(baseURL string) (map[string]APIConfig, error) {
	apis, err := manifest.LoadAll(specs.FS)
	if err != nil {
		return nil, err
	}
	out := map[string]APIConfig{}
	for _, m := range apis {
		c, err := bundledTarget(m, baseURL)
		if err != nil {
			return nil, err
		}
		out[m.Name] = c
	}
	return out, nil
}

// BundledAPIConfig is the target of one bundled API at baseURL, read from
// its specs/<api>/conform.yaml.
func BundledAPIConfig(api, baseURL string) (APIConfig, error) {
	apis, err := manifest.LoadAll(specs.FS)
	if err != nil {
		return APIConfig{}, err
	}
	for _, m := range apis {
		if m.Name == api {
			return bundledTarget(m, baseURL)
		}
	}
	return APIConfig{}, fmt.Errorf("%w: %q is not a bundled API (have %v)", ErrUsage, api, APINames())
}

// bundledTarget reads the conform.yaml beside m with the code that reads
// a user's, and requires it to configure m's API and no other.
func bundledTarget(m *manifest.API, baseURL string) (APIConfig, error) {
	file := path.Join(m.Dir, BundledFile)
	data, err := fs.ReadFile(specs.FS, file)
	if err != nil {
		return APIConfig{}, fmt.Errorf("bundled API %s: %w", m.Name, err)
	}
	return targetOf(m.Name, path.Join("specs", file), data, baseURL)
}

// targetOf reads the target of api from the conform.yaml data of file.
func targetOf(api, file string, data []byte, baseURL string) (APIConfig, error) {
	cfg, err := parseFile(file, data)
	if err != nil {
		return APIConfig{}, err
	}
	c, ok := cfg.APIs[api]
	if !ok || len(cfg.APIs) != 1 {
		return APIConfig{}, fmt.Errorf("%s: configures %v, want the API %s alone", file, sortedKeys(cfg.APIs), api)
	}
	c.BaseURL = baseURL
	if c.IDs == nil {
		c.IDs = map[string]IDList{}
	}
	return c, nil
}
