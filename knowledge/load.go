package knowledge

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

//go:embed data/plan.yaml
var embedded []byte

// Load returns the embedded fact base.
func Load() (*Base, error) {
	return Parse("data/plan.yaml", embedded)
}

// LoadFile loads a fact file that replaces the embedded one (the
// knowledge_file setting), with the same validation.
func LoadFile(path string) (*Base, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load facts: %w", err)
	}
	return Parse(path, b)
}

// Parse decodes and validates fact data; name is used in errors.
func Parse(name string, b []byte) (*Base, error) {
	var d data
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("load facts %s: %w", name, err)
	}
	// A second document after "---" would be silently ignored: a maintainer
	// who pasted facts below one would never see them used.
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, fmt.Errorf("load facts %s: %w", name, err)
	default:
		return nil, fmt.Errorf("load facts %s: line %d: a second YAML document; a fact file holds one", name, extra.Line)
	}
	if err := validate(&d); err != nil {
		return nil, fmt.Errorf("load facts %s: %w", name, err)
	}
	return index(&d), nil
}
