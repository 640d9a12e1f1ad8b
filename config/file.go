package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// applyYAML sets the settings the YAML document data names. The document is
// walked as nodes rather than decoded into a struct so that every setting goes
// through the same table as flags and variables, and so that an unknown key, a
// wrong type or a misplaced section is reported with its file and line.
func (c *Config) applyYAML(file string, data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("config file %s: %w", file, err)
	}
	if len(doc.Content) == 0 {
		return nil // an empty file sets nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: the configuration must be a mapping of settings (key: value)", file, root.Line)
	}
	return errors.Join(c.applyMapping(file, "", root)...)
}

func (c *Config) applyMapping(file, prefix string, m *yaml.Node) []error {
	var errs []error
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := prefix + k.Value
		if seen[key] {
			errs = append(errs, fmt.Errorf("%s:%d: %s is set twice", file, k.Line, key))
			continue
		}
		seen[key] = true
		if isSection(key) {
			if v.Kind != yaml.MappingNode {
				errs = append(errs, fmt.Errorf("%s:%d: %s must be a section of settings (%s)", file, v.Line, key, strings.Join(keysUnder(key+"."), ", ")))
				continue
			}
			errs = append(errs, c.applyMapping(file, key+".", v)...)
			continue
		}
		s, ok := lookupSetting(key)
		if !ok {
			errs = append(errs, fmt.Errorf("%s:%d: unknown setting %q%s", file, k.Line, key, suggest(key)))
			continue
		}
		if v.Kind != yaml.ScalarNode {
			errs = append(errs, fmt.Errorf("%s:%d: %s must be a single value", file, v.Line, s.names()))
			continue
		}
		if v.Tag == "!!null" {
			continue // "key:" with no value leaves the default
		}
		if err := s.set(c, v.Value); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %w", file, v.Line, s.names(), err))
			continue
		}
		c.origins[s.key] = "file " + file
	}
	return errs
}

// isSection reports whether key names a section such as "telegram".
func isSection(key string) bool { return len(keysUnder(key+".")) > 0 }

// keysUnder lists the setting keys that start with prefix.
func keysUnder(prefix string) []string {
	var keys []string
	for _, s := range settings {
		if strings.HasPrefix(s.key, prefix) {
			keys = append(keys, strings.TrimPrefix(s.key, prefix))
		}
	}
	return keys
}

// suggest names the known key closest to an unknown one, for typos such as
// "telegram.webhok_url" or "log-format".
func suggest(key string) string {
	norm := strings.ReplaceAll(key, "-", "_")
	type cand struct {
		key  string
		dist int
	}
	var cands []cand
	for _, s := range settings {
		cands = append(cands, cand{s.key, distance(norm, s.key)})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	if len(cands) == 0 || cands[0].dist > 3 {
		return "; see docs/configuration.md for the settings"
	}
	return fmt.Sprintf("; did you mean %q?", cands[0].key)
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
